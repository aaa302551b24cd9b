/**
 * The Bot API's HTML parse mode, as strict as Telegram's own parser: the same supported tags, the
 * same entity decoding and the same error texts with UTF-8 byte offsets, so a badly escaped post
 * fails here exactly as it would in production. Written from the behaviour documented in the Bot
 * API ("Formatting options") and Telegram's published parser tests.
 */

/** One formatting entity of a parsed message (offsets and lengths in UTF-16 code units). */
export interface ParsedEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

/** A parse: the visible text and its entities, or Telegram's error text. */
export type HtmlParse = { ok: true; text: string; entities: ParsedEntity[] } | { ok: false; error: string };

const TAGS: Record<string, string> = {
  a: 'text_link',
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  'tg-emoji': 'custom_emoji',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
};

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isNameChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9.-]/.test(c);

class ParseError extends Error {}

/**
 * Decodes one entity at `i` (pointing at `&`): `&lt;` `&gt;` `&amp;` `&quot;` (the `;` optional) and
 * numeric ones. Anything else is not an entity and the `&` stays as it is, as Telegram does.
 */
function decodeEntity(s: string, i: number): { text: string; end: number } | null {
  const numeric = /^&#(x[0-9a-fA-F]{1,8}|[0-9]{1,10});?/.exec(s.slice(i, i + 14));
  if (numeric) {
    const body = numeric[1]!;
    const code = body[0] === 'x' ? parseInt(body.slice(1), 16) : parseInt(body, 10);
    if (code >= 0xd800 && code <= 0xdfff) {
      throw new ParseError(
        'Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units',
      );
    }
    if (code === 0 || code > 0x10ffff) return null;
    return { text: String.fromCodePoint(code), end: i + numeric[0].length };
  }
  const named = /^&([a-z]+);?/.exec(s.slice(i, i + 8));
  if (named && NAMED[named[1]!] !== undefined) return { text: NAMED[named[1]!]!, end: i + named[0].length };
  return null;
}

const decodeAll = (s: string) => {
  let out = '';
  for (let i = 0; i < s.length;) {
    const e = s[i] === '&' ? decodeEntity(s, i) : null;
    if (e) {
      out += e.text;
      i = e.end;
    } else out += s[i++];
  }
  return out;
};

interface Open {
  name: string;
  start: number;
  attrs: Record<string, string>;
}

/** Parses a message in HTML parse mode. */
export function parseTelegramHtml(html: string): HtmlParse {
  const encoder = new TextEncoder();
  const byteOffset = (i: number) => encoder.encode(html.slice(0, i)).length;
  let text = '';
  const entities: ParsedEntity[] = [];
  const stack: Open[] = [];
  try {
    let i = 0;
    while (i < html.length) {
      const c = html[i]!;
      if (c === '&') {
        const e = decodeEntity(html, i);
        if (e) {
          text += e.text;
          i = e.end;
          continue;
        }
      }
      if (c !== '<') {
        text += c;
        i++;
        continue;
      }
      const begin = i++;
      if (html[i] !== '/') {
        while (i < html.length && !isSpace(html[i]) && html[i] !== '>') i++;
        if (i >= html.length) throw new ParseError(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
        const name = html.slice(begin + 1, i).toLowerCase();
        if (TAGS[name] === undefined)
          throw new ParseError(`Unsupported start tag "${name}" at byte offset ${byteOffset(begin)}`);
        const attrs: Record<string, string> = {};
        while (html[i] !== '>') {
          while (i < html.length && isSpace(html[i])) i++;
          if (html[i] === '>') break;
          const attrBegin = i;
          while (i < html.length && !isSpace(html[i]) && html[i] !== '=') i++;
          const attr = html.slice(attrBegin, i).toLowerCase();
          if (attr === '')
            throw new ParseError(`Empty attribute name in the tag "${name}" at byte offset ${byteOffset(begin)}`);
          while (i < html.length && isSpace(html[i])) i++;
          if (html[i] !== '=')
            throw new ParseError(
              `Expected equal sign in declaration of an attribute of the tag "${name}" at byte offset ${byteOffset(begin)}`,
            );
          i++;
          while (i < html.length && isSpace(html[i])) i++;
          if (i >= html.length)
            throw new ParseError(`Unclosed start tag "${name}" at byte offset ${byteOffset(begin)}`);
          let value: string;
          const quote = html[i];
          if (quote === '"' || quote === "'") {
            const close = html.indexOf(quote, i + 1);
            if (close < 0) throw new ParseError(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
            value = decodeAll(html.slice(i + 1, close));
            i = close + 1;
          } else {
            const tokenBegin = i;
            while (isNameChar(html[i])) i++;
            if (i >= html.length)
              throw new ParseError(`Unclosed start tag "${name}" at byte offset ${byteOffset(begin)}`);
            if (!isSpace(html[i]) && html[i] !== '>')
              throw new ParseError(`Unexpected end of name token at byte offset ${byteOffset(i)}`);
            value = html.slice(tokenBegin, i);
          }
          attrs[attr] = value;
        }
        if (name === 'span' && attrs.class !== 'tg-spoiler')
          throw new ParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(begin)}`);
        stack.push({ name, start: text.length, attrs });
        i++;
        continue;
      }
      // An end tag: `</name>`, `</name   >` or `</>` (closes the innermost).
      i++;
      const nameBegin = i;
      while (i < html.length && !isSpace(html[i]) && html[i] !== '>') i++;
      const name = html.slice(nameBegin, i).toLowerCase();
      while (i < html.length && isSpace(html[i])) i++;
      if (stack.length === 0) throw new ParseError(`Unexpected end tag at byte offset ${byteOffset(begin)}`);
      if (html[i] !== '>') throw new ParseError(`Unclosed end tag at byte offset ${byteOffset(begin)}`);
      const open = stack.pop()!;
      if (name !== '' && name !== open.name) {
        throw new ParseError(
          `Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${open.name}>", found "</${name}>"`,
        );
      }
      i++;
      const length = text.length - open.start;
      if (length > 0) {
        const entity: ParsedEntity = { type: TAGS[open.name]!, offset: open.start, length };
        if (open.name === 'a') {
          const href = open.attrs.href ?? text.slice(open.start);
          if (!/^(https?|tg):/i.test(href) && !/^[\w-]+(\.[\w-]+)+/.test(href)) continue; // Telegram drops links it cannot use
          entity.url = /^[a-z]+:/i.test(href) ? href : `http://${href}/`;
        }
        entities.push(entity);
      }
    }
    if (stack.length > 0)
      throw new ParseError(`Can't find end tag corresponding to start tag "${stack[stack.length - 1]!.name}"`);
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, error: error.message };
    throw error;
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { ok: true, text, entities };
}

/** Length as the Bot API's limits count it: Unicode code points of the visible text. */
export const visibleLength = (text: string): number => [...text].length;
