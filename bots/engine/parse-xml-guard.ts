import { decodeHTMLStrict } from 'entities';

/** The largest document the parser accepts, in UTF-16 code units (the fetcher caps bytes first). */
export const MAX_DOCUMENT_CHARS = 12 * 1024 * 1024;
const MAX_ENTITY_VALUE = 1024;
const MAX_DECLARED_ENTITIES = 64;

/** A document made safe for a strict XML parser, or why it was refused. */
export type GuardResult = { ok: true; text: string } | { ok: false; error: string };

/**
 * Reads the internal DTD subset's entity declarations. Only plain text values are honoured: a
 * value that refers to other entities (how "billion laughs" grows) or too many declarations
 * refuse the document outright; external entities (SYSTEM/PUBLIC, how XXE reads files) are ignored.
 */
function declaredEntities(doctype: string): Map<string, string> | string {
  const map = new Map<string, string>();
  const decl = /<!ENTITY\s+(%\s*)?([A-Za-z_][\w.-]*)\s+([^>]*)>/g;
  for (let m = decl.exec(doctype); m; m = decl.exec(doctype)) {
    const body = m[3] as string;
    // External and parameter entities are never fetched (no XXE); the DTD is dropped, and the
    // HTML entities such DTDs usually bring in are repaired by fixEntities below.
    if (m[1] || /^\s*(SYSTEM|PUBLIC)\b/.test(body)) continue;
    const value = /^\s*(["'])([\s\S]*?)\1/.exec(body)?.[2] ?? '';
    if (/&(?!#)/.test(value) || value.includes('%'))
      return 'refused: the document declares nested XML entities (an entity-expansion bomb)';
    if (value.length > MAX_ENTITY_VALUE) return 'refused: the document declares an oversized XML entity';
    map.set(m[2] as string, value);
    if (map.size > MAX_DECLARED_ENTITIES) return 'refused: the document declares too many XML entities';
  }
  return map;
}

/**
 * Rewrites entity references a strict XML parser would choke on: HTML named entities (`&nbsp;`,
 * `&eacute;`) become numeric references, entities the document declared (plain text only) are
 * substituted, and a bare `&` becomes `&amp;`. CDATA sections are left alone.
 */
function fixEntities(text: string, declared: Map<string, string>): string {
  const fix = (segment: string) =>
    // The five XML entities and character references are fine: the pattern skips them, so the
    // (slow) callback runs only for what needs fixing.
    segment.replace(
      /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)([A-Za-z][A-Za-z0-9._-]*;)?/g,
      (_whole, ref: string | undefined) => {
        if (!ref) return '&amp;';
        const whole = `&${ref}`;
        const name = ref.slice(0, -1);
        const own = declared.get(name);
        if (own !== undefined) return own.replace(/&/g, '&amp;').replace(/</g, '&lt;');
        const decoded = decodeHTMLStrict(whole);
        if (decoded !== whole) return [...decoded].map((ch) => `&#${ch.codePointAt(0)};`).join('');
        return `&amp;${ref}`;
      },
    );
  if (!text.includes('<![CDATA[')) return fix(text);
  const out: string[] = [];
  const cdata = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)/g;
  let last = 0;
  for (let m = cdata.exec(text); m; m = cdata.exec(text)) {
    out.push(fix(text.slice(last, m.index)), m[0]);
    last = m.index + m[0].length;
    if (m[0].length === 0) cdata.lastIndex++;
  }
  out.push(fix(text.slice(last)));
  return out.join('');
}

/** The name of the document's root element, skipping the prolog (declaration, comments, DOCTYPE). */
export function rootElementName(text: string): string | undefined {
  const prolog = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>)*<([A-Za-z_][\w:.-]*)/i;
  return prolog.exec(text.slice(0, 64 * 1024))?.[1];
}

/**
 * Prepares XML text for rss-parser (a strict parser): refuses oversized documents and entity
 * bombs, drops junk before the XML declaration and the DOCTYPE, and repairs entity references.
 */
export function guardXml(input: string): GuardResult {
  if (input.length > MAX_DOCUMENT_CHARS)
    return { ok: false, error: `refused: the document is over ${MAX_DOCUMENT_CHARS} characters` };
  let text = input.replace(/^[\s\ufeff]+/, '');
  if (!text) return { ok: false, error: 'empty document' };
  let declared = new Map<string, string>();
  const doctype = /<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>/i.exec(text.slice(0, 256 * 1024));
  if (doctype) {
    const result = declaredEntities(doctype[0]);
    if (typeof result === 'string') return { ok: false, error: result };
    declared = result;
    text = text.slice(0, doctype.index) + text.slice(doctype.index + doctype[0].length);
  }
  return { ok: true, text: fixEntities(text, declared) };
}
