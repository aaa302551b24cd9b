import { readFileSync } from 'node:fs';
import { Parser } from 'htmlparser2';
import { decodeFeedBytes } from '../engine/charset-decode';
import { parseFeedText } from '../engine/parse-feed';
import { errorMessage } from '../../shared/errors';

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'head', 'iframe', 'object']);
const BLOCK =
  /^(?:p|div|h[1-6]|li|ul|ol|br|tr|td|th|section|article|header|footer|blockquote|figcaption|pre|dd|dt|table|nav|aside|main)$/;

/** The readable text of an HTML page: no scripts, styles or markup, each block on its own line. */
export function htmlPageText(html: string): string {
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
    .replace(/ *\n\s*/g, '\n')
    .trim();
}

/** One readable text and where it came from. */
export interface SourceText {
  file: string;
  /** Set for feed items: the item's title. */
  item?: string;
  text: string;
}

const looksLikeFeed = (head: string) => /^\s*[{[]/.test(head) || /<(?:rss|feed|rdf:RDF)[\s>]/i.test(head);
const looksLikeHtml = (head: string) => /<(?:!doctype html|html|body|p|div|article)[\s>]/i.test(head);

/**
 * Reads plain text, HTML pages and feeds (RSS, Atom, RDF, JSON Feed) as texts: a page or a plain
 * file is one text, a feed is one text per item (title and summary), so "how widely" a term occurs
 * counts items. Unreadable or unparsable files are reported and skipped.
 */
export async function readTexts(files: readonly string[], report: (line: string) => void): Promise<SourceText[]> {
  const out: SourceText[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file === '-' ? 0 : file);
    } catch (error) {
      report(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
      continue;
    }
    const { text } = decodeFeedBytes(new Uint8Array(bytes));
    const head = text.slice(0, 4096);
    if (looksLikeFeed(head)) {
      const feed = await parseFeedText(text);
      if (feed.ok) {
        for (const item of feed.value.items)
          out.push({ file, item: item.title, text: `${item.title}\n${item.summary}` });
        continue;
      }
      if (!looksLikeHtml(head)) {
        report(`${file}: skipped, ${feed.error}`);
        continue;
      }
    }
    out.push({ file, text: looksLikeHtml(head) ? htmlPageText(text) : text });
  }
  return out;
}
