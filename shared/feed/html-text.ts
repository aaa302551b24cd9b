import { Parser } from 'htmlparser2';

/** Default length of an item summary, in UTF-16 code units, before the ellipsis. */
export const SUMMARY_MAX_CHARS = 400;

// Elements whose content is never text a reader should see.
const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'svg',
  'math',
  'head',
  'title',
  'select',
  'button',
]);
// Elements that separate words even when the markup has no space between them.
const BREAK = new Set(['br', 'ul', 'ol', 'td', 'th', 'table', 'pre', 'figure', 'hr', 'img']);
// Blocks that end a sentence: "<p>Standfirst</p><p>Body" reads "Standfirst. Body", not one run-on.
const SENTENCE = new Set([
  'p',
  'div',
  'li',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'section',
  'article',
  'header',
  'footer',
  'figcaption',
  'dt',
  'dd',
]);
// A letter or digit of a script that ends sentences with "." (not CJK, which has its own stops).
const ENDS_BARE = /[\p{L}\p{N}]$/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;
const STARTS_CAPITAL = /^\s*\p{Lu}/u;
// Past this many characters of input nothing more would reach a summary; parsing stops caring.
const MAX_INPUT = 200_000;
const CHUNK = 4096;
const IMAGE_SEARCH_CHARS = 32_768;

/** The plain text of an HTML fragment and its first real image. */
export interface HtmlText {
  text: string;
  /** `src` of the first <img> that is not a 1×1 tracking pixel, unresolved. */
  firstImage?: string;
}

// C0/C1 control characters: never meaningful in a title or summary, and a terminal or chat
// client may act on them (escape sequences), so they fold like whitespace.
// eslint-disable-next-line no-control-regex
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f\u00a0\u3000\u200b\ufeff]+/g;

/** Folds every run of whitespace or control characters into one space and trims. */
export function foldWhitespace(text: string): string {
  return text.replace(SPACE_OR_CONTROL, ' ').trim();
}

/**
 * Turns HTML into plain text safely: tags dropped (scripts, styles and the like with their
 * content), entities decoded, whitespace folded. Nothing of the markup survives, so the result
 * can be shown anywhere once escaped for that place.
 */
export function htmlToText(html: string, textLimit = SUMMARY_MAX_CHARS * 4): HtmlText {
  const parts: string[] = [];
  let length = 0;
  let skipDepth = 0;
  let firstImage: string | undefined;
  let sentenceBreak = false;
  let last = ''; // the text so far, its last non-space run only
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (SKIP.has(name)) skipDepth++;
        if (BREAK.has(name)) parts.push(' ');
        if (SENTENCE.has(name)) sentenceBreak = true;
        if (name === 'img' && firstImage === undefined && skipDepth === 0) {
          const src = attrs.src?.trim();
          const tiny = attrs.width === '1' || attrs.height === '1';
          if (src && !tiny && !src.startsWith('data:')) firstImage = src;
        }
      },
      onclosetag(name) {
        if (SKIP.has(name) && skipDepth > 0) skipDepth--;
        if (BREAK.has(name)) parts.push(' ');
        if (SENTENCE.has(name)) sentenceBreak = true;
      },
      ontext(data) {
        if (skipDepth > 0 || length > textLimit || !data.trim()) {
          if (skipDepth === 0 && length <= textLimit) parts.push(data);
          return;
        }
        if (sentenceBreak) {
          const stop = ENDS_BARE.test(last) && !CJK.test(last) && STARTS_CAPITAL.test(data);
          if (stop) while (parts.length > 0 && !parts[parts.length - 1]!.trim()) parts.pop();
          parts.push(stop ? '. ' : ' ');
          sentenceBreak = false;
        }
        parts.push(data);
        last = data.trimEnd();
        length += data.length;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  // Feed the parser in slices and stop once the summary has enough text and the image search
  // has had a fair look: long articles cost no more than their first screens.
  const end = Math.min(html.length, MAX_INPUT);
  for (let at = 0; at < end; at += CHUNK) {
    parser.write(html.slice(at, Math.min(at + CHUNK, end)));
    if (length > textLimit && (firstImage !== undefined || at >= IMAGE_SEARCH_CHARS)) break;
  }
  parser.end();
  const text = foldWhitespace(parts.join(''));
  return firstImage === undefined ? { text } : { text, firstImage };
}

const CJK_STOP = /[。！？；，、）」』】]/;

/**
 * Cuts text to at most `max` code units at a word boundary (or after CJK punctuation, since CJK
 * text has no spaces), adding an ellipsis when something was cut. Never splits a surrogate pair.
 */
export function cutAtWord(text: string, max = SUMMARY_MAX_CHARS): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // don't keep half a pair
  const head = text.slice(0, end);
  const floor = Math.floor(max * 0.6);
  for (let i = head.length; i > floor; i--) {
    const ch = head[i - 1] as string;
    if (ch === ' ') return `${head.slice(0, i - 1).replace(/[\s,;:.–—-]+$/, '')}…`;
    if (CJK_STOP.test(ch)) return `${head.slice(0, i)}…`;
  }
  // One long word or unbroken CJK run: cutting mid-run is the only option.
  return `${head}…`;
}

/** Plain text of a title that may carry markup or entities (common in RSS), whitespace folded. */
export function titleText(title: string | undefined): string {
  if (!title) return '';
  if (!/[<&]/.test(title)) return foldWhitespace(title);
  // The XML layer already decoded entities once; only a complete reference (`&amp;`, `&#36;`) is
  // a second, HTML-level escape. `&copy=2` in a query string stays as written.
  return htmlToText(title.replace(/&(?!#[0-9]+;|#x[0-9a-f]+;|[a-z][a-z0-9]*;)/gi, '&amp;'), 2000).text;
}
