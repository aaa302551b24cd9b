import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'htmlparser2';

/** The corpora folder beside the project (../shared/corpora), never copied into it. */
export const CORPORA = join(import.meta.dirname, '../../../shared/corpora');
export const PAGES_DIR = join(CORPORA, 'pages');

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'head', 'iframe', 'object']);
const BLOCK = /^(?:p|div|h[1-6]|li|ul|ol|br|tr|td|th|section|article|header|footer|blockquote|figcaption|pre|dd|dt|table|nav|aside|main)$/;

/** The readable text of an HTML page: body text without scripts, styles and markup, blocks on their own lines. */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipDepth++;
        else if (skipDepth === 0 && BLOCK.test(name)) parts.push('\n');
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (skipDepth === 0 && BLOCK.test(name)) parts.push('\n');
      },
      ontext(text) {
        if (skipDepth === 0) parts.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return parts
    .join('')
    .replace(/[ \t\f\r]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
}

/** Every corpus page as { name, text } (read as UTF-8: youth.html declares GBK but is UTF-8). */
export function corpusPages(): { name: string; text: string }[] {
  return readdirSync(PAGES_DIR)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((name) => ({ name, text: htmlToText(readFileSync(join(PAGES_DIR, name), 'utf8')) }));
}
