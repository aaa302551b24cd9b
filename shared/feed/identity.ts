import { normalizeLinkForIdentity } from './url';

/**
 * A 64-bit FNV-1a hash of a string's UTF-16 code units as 16 hex digits: pure JS (the core has no
 * crypto), stable across runtimes, and good enough to tell items apart (not a security hash).
 */
export function hashString(text: string): string {
  // Two 32-bit halves of the 64-bit FNV state, multiplied by the FNV prime 0x100000001b3 by hand.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + Math.imul(lo, 0x100) + carry) >>> 0;
    lo = loMul >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

// Keys are stored and indexed: an absurdly long guid or link is represented by its hash.
const MAX_KEY_TEXT = 512;
const bounded = (text: string) => (text.length <= MAX_KEY_TEXT ? text : `#${hashString(text)}`);

/** What identity is computed from for one item. */
export interface IdentityInput {
  guid?: string;
  link?: string;
  title: string;
  published?: string;
  summary: string;
}

// Guids some generators fill with a constant or a counter: not identities at all.
function isUsableGuid(guid: string): boolean {
  return guid.length > 0 && !/^(?:0|-1|null|undefined|none|n\/a|#)$/i.test(guid);
}

/**
 * Gives every item of one feed its key, in this order of preference:
 * `g:<guid>` when that guid is unique in the feed, `l:<normalized link>` when that link is unique,
 * `h:<hash of title + date>` otherwise (the summary stands in when both are empty).
 * Keys are made unique within the feed (a repeat gets `#2`, `#3`).
 */
export function assignKeys(items: IdentityInput[]): string[] {
  const count = (values: (string | undefined)[]) => {
    const counts = new Map<string, number>();
    for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    return counts;
  };
  const guids = items.map((item) => (item.guid && isUsableGuid(item.guid.trim()) ? item.guid.trim() : undefined));
  const links = items.map((item) => (item.link ? normalizeLinkForIdentity(item.link) : undefined));
  const guidCounts = count(guids);
  const linkCounts = count(links);
  const used = new Map<string, number>();
  return items.map((item, i) => {
    const guid = guids[i];
    const link = links[i];
    let key: string;
    if (guid && guidCounts.get(guid) === 1) key = `g:${bounded(guid)}`;
    else if (link && linkCounts.get(link) === 1) key = `l:${bounded(link)}`;
    else {
      const basis = item.title || item.published ? `${item.title}\u0000${item.published ?? ''}` : item.summary;
      key = `h:${hashString(`${link ?? ''}\u0000${basis}`)}`;
    }
    const seen = used.get(key) ?? 0;
    used.set(key, seen + 1);
    return seen === 0 ? key : `${key}#${seen + 1}`;
  });
}
