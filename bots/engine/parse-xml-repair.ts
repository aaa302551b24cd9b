// Repairs for feeds that are nearly XML: the fixes real feed readers make before giving up.

// Namespaces whose elements rss-parser expects unprefixed.
const FEED_NAMESPACES = new Set([
  'http://www.w3.org/2005/atom',
  'http://purl.org/atom/ns#',
  'http://purl.org/rss/1.0/',
  'http://backend.userland.com/rss2',
  'http://blogs.law.harvard.edu/tech/rss',
]);

/**
 * `<a:feed xmlns:a="http://www.w3.org/2005/Atom">…` is the same feed as `<feed xmlns=…>`: drop
 * prefixes bound to a feed namespace so the parser sees the element names it knows.
 */
export function unprefixFeedElements(xml: string): string {
  const head = xml.slice(0, 8192);
  const prefixes: string[] = [];
  const decl = /xmlns:([\w.-]+)\s*=\s*["']([^"']+)["']/g;
  for (let m = decl.exec(head); m; m = decl.exec(head)) {
    if (FEED_NAMESPACES.has((m[2] as string).toLowerCase()) && m[1] !== 'rdf') prefixes.push(m[1] as string);
  }
  if (prefixes.length === 0) return xml;
  return xml.replace(new RegExp(`<(/?)(?:${prefixes.join('|')}):(?=[A-Za-z_])`, 'g'), '<$1');
}

/**
 * Closes what a truncated document left open: a cut-off final tag, an unterminated CDATA
 * section, and every element still open at the end (in order), so a feed that lost its last
 * bytes still yields the items it had.
 */
export function closeOpenElements(xml: string): string {
  let text = xml.replace(/<\/([\w:.-]+)\s*$/, '</$1>');
  const lastCdata = text.lastIndexOf('<![CDATA[');
  if (lastCdata >= 0 && text.indexOf(']]>', lastCdata) < 0) text += ']]>';
  text = text.replace(/<[^>]*$/, (tail) => (tail.startsWith('<![CDATA[') ? tail : ''));
  const stack: string[] = [];
  const tag =
    /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w:.-]*)(?:"[^"]*"|'[^']*'|[^'">])*?(\/?)>/g;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    const name = m[2];
    if (!name || m[3]) continue;
    if (!m[1]) stack.push(name);
    else {
      const at = stack.lastIndexOf(name);
      if (at >= 0) stack.length = at;
    }
  }
  return (
    text +
    stack
      .reverse()
      .map((name) => `</${name}>`)
      .join('')
  );
}
