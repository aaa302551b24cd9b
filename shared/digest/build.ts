import type { ChatLang } from '../i18n/lang';
import type { DigestLine, DigestLink, DigestSection, Message, MessageTerm } from '../message/message';
import type { TermInfo } from '../message/terms';
import { fieldHeading, fieldOf, OTHER_FIELD } from './headings';
import { storyScore } from './rank';
import { groupStories } from './similar';

/** A post a channel received (or, in digest-only mode, would have): what a digest is made of. */
export interface DigestCandidate {
  /** Stable id (the outbox row's): ties are broken on it, so a digest is the same every time it is built. */
  id: string;
  sourceId: string;
  /** The post as curation built it for this channel: title, link, source, terms, hashtags. */
  message: Message;
  /** When the channel got it (epoch ms): the "since the last digest" cut and the recency of undated items. */
  at: number;
}

/** Options of {@link buildDigest}. */
export interface BuildDigestOptions {
  /** The digest's time (epoch ms): recency is measured to it. */
  now: number;
  /** The last digest's time: only candidates after it count. */
  since?: number;
  /** How many stories at most. */
  size: number;
  /** Looks up a term's level and fields (specialism and the field a story goes under). */
  entry?: (id: string, lang: string) => TermInfo | undefined;
  /** The channel's language: the sections' headings are in it. */
  lang?: ChatLang;
}

/** One story: one or more posts telling the same news, with its rank. */
export interface DigestStory {
  title: string;
  links: DigestLink[];
  /** Every term the merged posts explain, most specialist first. */
  terms: MessageTerm[];
  field: string;
  score: number;
  sources: number;
  /** The candidates merged into it, by id. */
  ids: string[];
}

/** A digest before it is cut into messages: its stories in rank order and its sections in reading order. */
export interface Digest {
  stories: DigestStory[];
  sections: DigestSection[];
  /** How many candidates were considered (after `since`), and how many stories they made. */
  considered: number;
  storyCount: number;
}

const HOUR = 3_600_000;

function publishedAt(c: DigestCandidate): number {
  const t = c.message.published ? Date.parse(c.message.published) : Number.NaN;
  return Number.isNaN(t) ? c.at : Math.min(t, c.at);
}

/**
 * Picks the channel's best stories since the last digest: near-duplicates from several sources
 * merged into one story with every source linked, ranked by {@link storyScore}, the best `size`
 * kept and grouped by field (sections in the order of their best story), each line explaining
 * one key term no earlier line explained.
 */
export function buildDigest(candidates: readonly DigestCandidate[], options: BuildDigestOptions): Digest {
  const fresh = candidates
    .filter((c) => options.since === undefined || c.at > options.since)
    .sort((a, b) => publishedAt(a) - publishedAt(b) || a.at - b.at || a.id.localeCompare(b.id));
  const groups = groupStories(fresh.map((c) => ({ title: c.message.title, link: c.message.link })));
  const stories = groups.map((members) =>
    toStory(
      members.map((i) => fresh[i]!),
      options,
    ),
  );
  stories.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title));
  const kept = stories.slice(0, Math.max(0, options.size));
  return {
    stories: kept,
    sections: toSections(kept, options.lang ?? 'en'),
    considered: fresh.length,
    storyCount: stories.length,
  };
}

function toStory(members: DigestCandidate[], options: BuildDigestOptions): DigestStory {
  const first = members[0]!;
  const links: DigestLink[] = [];
  const seenSources = new Set<string>();
  for (const c of members) {
    if (seenSources.has(c.sourceId)) continue;
    seenSources.add(c.sourceId);
    const url = c.message.link ?? c.message.source.url;
    links.push({ source: c.message.source.title, ...(url ? { url } : {}) });
  }
  const level = (t: MessageTerm) => options.entry?.(t.id, t.lang)?.level ?? 0;
  const terms: MessageTerm[] = [];
  for (const c of members) for (const t of c.message.terms) if (!terms.some((x) => x.id === t.id)) terms.push(t);
  // Stable: among equally specialist terms, the order curation picked them in stays.
  const ranked = terms.map((t, i) => ({ t, i, l: level(t) })).sort((a, b) => b.l - a.l || a.i - b.i);
  const newest = Math.max(...members.map(publishedAt));
  const score = storyScore({
    sources: seenSources.size,
    level: ranked[0]?.l ?? 0,
    ageHours: (options.now - newest) / HOUR,
  });
  return {
    title: first.message.title,
    links,
    terms: ranked.map((r) => r.t),
    field: storyField(
      members,
      ranked.map((r) => r.t),
      options,
    ),
    score,
    sources: seenSources.size,
    ids: members.map((c) => c.id),
  };
}

/** The field of the story's key term, else the first field its posts' hashtags name, else "other". */
function storyField(members: DigestCandidate[], terms: MessageTerm[], options: BuildDigestOptions): string {
  for (const t of terms) {
    const field = options.entry?.(t.id, t.lang)?.fields[0];
    if (field) return field;
  }
  for (const c of members) {
    for (const tag of c.message.hashtags) {
      const field = fieldOf(tag);
      if (field) return field;
    }
  }
  return OTHER_FIELD;
}

function toSections(stories: DigestStory[], lang: ChatLang): DigestSection[] {
  const byField = new Map<string, DigestStory[]>();
  for (const s of stories) byField.set(s.field, [...(byField.get(s.field) ?? []), s]);
  // "More science" last, whatever its rank: the named fields are what readers scan for.
  const order = [...byField.keys()].sort((a, b) => Number(a === OTHER_FIELD) - Number(b === OTHER_FIELD));
  const explained = new Set<string>();
  let n = 0;
  return order.map((field) => ({
    field,
    heading: fieldHeading(field, lang),
    lines: byField.get(field)!.map((s): DigestLine => {
      const term = s.terms.find((t) => !explained.has(t.id));
      if (term) explained.add(term.id);
      return { n: ++n, title: s.title, links: s.links, ...(term ? { term } : {}) };
    }),
  }));
}
