import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { htmlPageText } from '../../bots/glossary/read-texts';
import { CORPORA, HAVE_CORPORA } from './outside';

export { CORPORA };
export const PAGES_DIR = join(CORPORA, 'pages');

/** Every corpus page as { name, text }, none when the corpora are missing (read as UTF-8: youth.html declares GBK but is UTF-8). */
export function corpusPages(): { name: string; text: string }[] {
  if (!HAVE_CORPORA) return [];
  return readdirSync(PAGES_DIR)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((name) => ({ name, text: htmlPageText(readFileSync(join(PAGES_DIR, name), 'utf8')) }));
}
