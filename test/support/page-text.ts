import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { htmlPageText } from '../../bots/glossary/read-texts';

/** The corpora folder beside the project (../shared/corpora), never copied into it. */
export const CORPORA = join(import.meta.dirname, '../../../shared/corpora');
export const PAGES_DIR = join(CORPORA, 'pages');

/** Every corpus page as { name, text } (read as UTF-8: youth.html declares GBK but is UTF-8). */
export function corpusPages(): { name: string; text: string }[] {
  return readdirSync(PAGES_DIR)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((name) => ({ name, text: htmlPageText(readFileSync(join(PAGES_DIR, name), 'utf8')) }));
}
