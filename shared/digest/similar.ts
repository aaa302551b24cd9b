// Near-duplicate stories: the same news told by several sources under different headlines.

/** Words too common in headlines to say two of them tell the same story. */
const STOPWORDS = new Set(
  (
    'a an the of in on at to for from by with and or but as is are was were be been its it this that these those ' +
    'new how why what when who after before into over about than more most first says say said could may might ' +
    'will can has have had not no up out study finds find shows show scientists researchers'
  ).split(' '),
);

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * The words of a headline that identify its story: lower-cased, stopwords dropped, a plural `s`
 * folded (`planets` = `planet`); Chinese and Japanese runs, which have no spaces, as character pairs.
 */
export function titleTokens(title: string): Set<string> {
  const out = new Set<string>();
  for (const word of title
    .normalize('NFKC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (CJK.test(word)) {
      const chars = [...word];
      if (chars.length === 1) out.add(word);
      for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
      continue;
    }
    if (STOPWORDS.has(word) || (word.length < 2 && !/\d/.test(word))) continue;
    out.add(word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word);
  }
  return out;
}

/**
 * Whether two headlines tell the same story: their identifying words overlap by half of all of
 * them (Jaccard ≥ 0.5), or at least four words make up half of the shorter one ("Webb finds water
 * on K2-18b" and "James Webb detects water in K2-18b's atmosphere").
 */
export function sameStory(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return shared / union >= 0.5 || (shared >= 4 && shared / Math.min(a.size, b.size) >= 0.5);
}

/** A link compared as the same article: no scheme, `www.`, fragment, query or trailing slash. */
export function linkKey(link: string | undefined): string | null {
  if (!link) return null;
  const m = /^https?:\/\/(?:www\.)?([^/?#]+)([^?#]*)/i.exec(link.trim());
  return m ? `${m[1]!.toLowerCase()}${m[2]!.replace(/\/+$/, '')}` : null;
}

/**
 * Groups items telling the same story: the same article link, or headlines {@link sameStory} says
 * match (compared with every member of a group, in the given order). Returns groups of indexes,
 * each in input order, the groups ordered by their first member.
 */
export function groupStories(items: readonly { title: string; link?: string }[]): number[][] {
  const groups: { members: number[]; tokens: Set<string>[]; links: Set<string> }[] = [];
  items.forEach((item, i) => {
    const tokens = titleTokens(item.title);
    const link = linkKey(item.link);
    const group = groups.find(
      (g) => (link !== null && g.links.has(link)) || g.tokens.some((other) => sameStory(tokens, other)),
    );
    if (group) {
      group.members.push(i);
      group.tokens.push(tokens);
      if (link) group.links.add(link);
    } else groups.push({ members: [i], tokens: [tokens], links: new Set(link ? [link] : []) });
  });
  return groups.map((g) => g.members);
}
