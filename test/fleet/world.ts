import type { ChannelRulesInput } from '../../shared/curation';
import type { TestFeedItem } from '../support/feed-server';

/**
 * The fleet test's world, generated from a few numbers: sources with a tag each, a few new items on
 * some of them once the first poll is done, and destinations on Telegram and Discord whose curation
 * rules subscribe them to subsets. What each destination must receive is computed here from the
 * rules with plain set logic (not through shared/curation), so a curation or routing bug shows up
 * as a difference between this and what the fake platforms received.
 */
export const TAGS = [
  'astronomy',
  'biology',
  'physics',
  'climate',
  'chemistry',
  'geology',
  'medicine',
  'computing',
  'ecology',
  'energy',
] as const;
export const TOPICS = ['telescope', 'genome', 'quantum', 'glacier', 'vaccine'] as const;

/** One source: its route on the feed server, its tag, and the items it gains after the first poll. */
export interface FleetSource {
  index: number;
  path: string;
  title: string;
  tag: string;
  oldItems: TestFeedItem[];
  newItems: TestFeedItem[];
}

/** One destination: a Telegram chat or a Discord channel, with its rules. */
export interface FleetDestination {
  id: string;
  platform: 'telegram' | 'discord';
  /** Index among the destinations of its platform (the test maps it to a chat or channel id). */
  slot: number;
  rules: ChannelRulesInput;
}

/** The item key the test compares by: the item's link, unique per item. */
export const linkOf = (source: number, k: number) => `https://news.example/fleet/${source}/${k}`;
/** The (source, k) of a link the fakes received, or null for anything else (notices, replies). */
export function parseLink(text: string | undefined): string | null {
  const m = text ? /https:\/\/news\.example\/fleet\/\d+\/-?\d+/.exec(text) : null;
  return m ? m[0] : null;
}

/** A small deterministic hash, so tags, topics and counts do not line up in stripes. */
function mix(...n: number[]): number {
  let h = 2166136261;
  for (const x of n) h = Math.imul(h ^ x, 16777619) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/** Every source; every `newEvery`-th gains one to three new items after the first poll. */
export function fleetSources(count: number, newEvery: number): FleetSource[] {
  return Array.from({ length: count }, (_, i) => {
    const tag = TAGS[mix(i, 1) % TAGS.length]!;
    const oldItems = [2, 1].map((k) => ({
      title: `Fleet ${i} archive ${k}`,
      link: linkOf(i, -k),
      guid: `${i}-old-${k}`,
      date: new Date(Date.UTC(2026, 0, 1, 0, k)),
      description: `Archived note ${k} of feed ${i}.`,
    }));
    const fresh = i % newEvery === 0 ? 1 + (mix(i, 2) % 3) : 0;
    // Newest first, as feeds list them; dated after the archive so the order is unambiguous.
    const newItems = Array.from({ length: fresh }, (_, j) => fresh - j).map((k) => ({
      title: `Fleet ${i}.${k}: ${TOPICS[mix(i, k, 3) % TOPICS.length]} result`,
      link: linkOf(i, k),
      guid: `${i}-new-${k}`,
      date: new Date(Date.UTC(2026, 0, 2, 0, k)),
      description: `Finding ${k} of feed ${i}.`,
    }));
    return { index: i, path: `/fleet/${i}`, title: `Fleet feed ${i}`, tag, oldItems, newItems };
  });
}

/**
 * Destinations alternate Telegram and Discord. Each picks two tags and then one of five rule
 * shapes (one keyword, two keywords, an exclusion, a regex, an explicit source list), so each
 * receives a different subset of a few dozen items at most: under Telegram's 20 per minute per
 * group for most, a little over it for a few (which must then wait out the minute).
 */
export function fleetDestinations(
  count: number,
  sources: readonly FleetSource[],
  url: (path: string) => string,
): FleetDestination[] {
  const withNew = sources.filter((s) => s.newItems.length > 0);
  return Array.from({ length: count }, (_, d) => {
    const platform = d % 2 === 0 ? 'telegram' : 'discord';
    const t = mix(d, 4);
    const tags = [TAGS[t % TAGS.length]!, TAGS[(t + 1 + ((t >>> 8) % 9)) % TAGS.length]!];
    const topic = TOPICS[mix(d, 5) % TOPICS.length]!;
    const other = TOPICS[(TOPICS.indexOf(topic) + 1 + (mix(d, 6) % 4)) % TOPICS.length]!;
    const shapes: ChannelRulesInput[] = [
      { tags, include: [topic] },
      { tags, include: [topic.toUpperCase(), other] },
      { tags: [tags[0]!], exclude: [other] },
      { tags, includeRegex: [`\\b(${topic}|${other})\\b`], excludeRegex: ['\\.3:'] },
      { sources: withNew.filter((_, n) => n % 12 === d % 12).map((s) => url(s.path)) },
    ];
    // Ids sort so the platforms alternate: a worker's share (a run of the list) has both.
    return {
      id: `d${String(d).padStart(2, '0')}-${platform === 'telegram' ? 'tg' : 'dc'}`,
      platform,
      slot: Math.floor(d / 2),
      rules: { ...shapes[d % shapes.length]!, approval: 'none' },
    };
  });
}

const fold = (s: string) => s.toLowerCase();

/** Whether a destination's rules select a new item of a source (the same semantics, written out plainly). */
export function selects(
  dest: FleetDestination,
  source: FleetSource,
  item: TestFeedItem,
  url: (path: string) => string,
): boolean {
  const r = dest.rules;
  const text = fold(`${item.title}\n${item.description ?? ''}`);
  if (r.sources?.length && !r.sources.includes(url(source.path))) return false;
  if (r.tags?.length && !r.tags.includes(source.tag)) return false;
  if (r.exclude?.some((k) => text.includes(fold(k)))) return false;
  if (r.include?.length && !r.include.some((k) => text.includes(fold(k)))) return false;
  if (r.excludeRegex?.some((p) => new RegExp(p, 'i').test(text))) return false;
  if (r.includeRegex?.length && !r.includeRegex.some((p) => new RegExp(p, 'i').test(text))) return false;
  return true;
}

/** Expected deliveries: destination id → the links it must receive, each exactly once. */
export function expectedDeliveries(
  dests: readonly FleetDestination[],
  sources: readonly FleetSource[],
  url: (path: string) => string,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of dests) {
    const links = new Set<string>();
    for (const s of sources) for (const item of s.newItems) if (selects(d, s, item, url)) links.add(item.link!);
    out.set(d.id, links);
  }
  return out;
}
