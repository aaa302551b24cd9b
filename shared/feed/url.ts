// WHATWG URL exists in every runtime this code runs in (browsers, Node, workers), but the pure
// core is type-checked without DOM or Node types, so declare the little of it we use.
interface WhatwgUrl {
  href: string;
  protocol: string;
  hostname: string;
  host: string;
  pathname: string;
  search: string;
  hash: string;
  searchParams: { delete(name: string): void; sort(): void; toString(): string; keys(): Iterable<string> };
}
declare const URL: { new (input: string, base?: string): WhatwgUrl };

/** Parses a URL, optionally against a base; null when it is not one. */
export function tryUrl(input: string, base?: string): WhatwgUrl | null {
  try {
    return base === undefined ? new URL(input) : new URL(input, base);
  } catch {
    return null;
  }
}

/**
 * Resolves a link from a feed against its bases (innermost first: item xml:base, feed xml:base,
 * the feed's own URL). Returns an absolute http(s) URL, or undefined for anything else
 * (javascript:, data:, mailto:, unresolvable relative paths).
 */
export function resolveLink(ref: string | undefined, ...bases: (string | undefined)[]): string | undefined {
  const text = ref?.trim();
  if (!text) return undefined;
  let base: string | undefined;
  // Bases may themselves be relative (xml:base="/blog/"): resolve outward-in.
  for (const candidate of [...bases].reverse()) {
    if (!candidate?.trim()) continue;
    const resolved = base === undefined ? tryUrl(candidate.trim()) : tryUrl(candidate.trim(), base);
    if (resolved) base = resolved.href;
  }
  const url = base === undefined ? tryUrl(text) : tryUrl(text, base);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  return url.href;
}

const TRACKING_PARAMS = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref_src|_hsenc|_hsmi)$/i;

/**
 * The form of a link used for identity: lower-case host, no fragment, no tracking parameters,
 * sorted query, http and https treated alike, no trailing slash. Two links to the same article
 * that differ only in these ways get the same identity.
 */
export function normalizeLinkForIdentity(link: string): string {
  const url = tryUrl(link);
  if (!url) return link.trim();
  for (const name of [...url.searchParams.keys()]) if (TRACKING_PARAMS.test(name)) url.searchParams.delete(name);
  url.searchParams.sort();
  const query = url.searchParams.toString();
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.host.toLowerCase().replace(/^www\./, '')}${path}${query ? `?${query}` : ''}`;
}
