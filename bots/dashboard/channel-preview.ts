import {
  compileRules,
  curate,
  selectionOf,
  selects,
  type CompiledRules,
  type CurationItem,
  type Verdict,
} from '../../shared/curation';
import { ItemSchema } from '../../shared/feed/item';
import type { Channel, Source, Store } from '../store/types';

/** How many of a channel's latest items the rule preview decides on. */
export const PREVIEW_ITEMS = 100;

/** One item of the preview: what the edited rules decide, and whether the saved rules decide otherwise. */
export interface PreviewRow {
  title: string;
  link: string | null;
  source: string;
  seenAt: number;
  verdict: Verdict;
  /** True when the channel's saved rules come to another outcome (posted, held or filtered). */
  changed: boolean;
}

/** The preview of some rules on a channel's latest items. */
export interface RulePreview {
  rows: PreviewRow[];
  passed: number;
  held: number;
}

const outcome = (v: Verdict) => (v.post ? v.status : 'filtered');

/**
 * The sources whose items the channel would get with these rules: every source when they select
 * none (as a save would subscribe it to every source), else those they select and those it already
 * subscribes to (an item of a source the edited rules drop shows as "source not selected").
 */
async function candidateSources(
  store: Pick<Store, 'listSubscriptions'>,
  channel: Channel,
  rules: CompiledRules,
  sources: Source[],
): Promise<string[] | null> {
  const selection = selectionOf(rules.rules);
  if (selection.sources.length === 0 && selection.tags.length === 0) return null;
  const subscribed = (await store.listSubscriptions({ channelId: channel.id })).map((s) => s.sourceId);
  const selected = sources.filter((s) => selects(selection, s)).map((s) => s.id);
  return [...new Set([...selected, ...subscribed])];
}

/**
 * Decides, with the real curation (shared/curation's `curate`), which of the channel's latest
 * {@link PREVIEW_ITEMS} items the given rules would post, hold for approval or filter out and why.
 * Caps decide when a post goes, not whether, so they are not part of it. Nothing is stored.
 */
export async function previewRules(
  deps: { store: Pick<Store, 'listSubscriptions' | 'listSources' | 'recentItems'>; now: () => number },
  channel: Channel,
  rules: CompiledRules,
): Promise<RulePreview> {
  const now = deps.now();
  const sources = await deps.store.listSources();
  const byId = new Map(sources.map((s) => [s.id, s]));
  const items = await deps.store.recentItems(
    await candidateSources(deps.store, channel, rules, sources),
    PREVIEW_ITEMS,
  );
  const saved = compileRules(channel.rules);
  let passed = 0;
  let held = 0;
  const rows = items.map((row): PreviewRow => {
    const source = byId.get(row.sourceId);
    const parsed = ItemSchema.safeParse(row.data);
    const item: CurationItem = parsed.success ? parsed.data : { title: row.title, summary: '', categories: [] };
    const curationSource = {
      id: row.sourceId,
      url: source?.url ?? '',
      tags: source?.tags ?? [],
      lang: source?.lang ?? null,
      trusted: source?.trusted ?? false,
    };
    const decide = (r: CompiledRules) =>
      curate(r, { ...item, lang: item.lang ?? curationSource.lang ?? undefined }, curationSource, now);
    const verdict = decide(rules);
    if (verdict.post) {
      passed++;
      if (verdict.status === 'held') held++;
    }
    return {
      title: row.title || '(untitled)',
      // Feed text: only a web link becomes a link.
      link: row.link && /^https?:\/\//i.test(row.link) ? row.link : null,
      source: source?.title ?? row.sourceId,
      seenAt: row.seenAt,
      verdict,
      changed: saved.ok ? outcome(decide(saved.value)) !== outcome(verdict) : false,
    };
  });
  return { rows, passed, held };
}

/** How many of a channel's sources the Channels page names (with their ids, for the Sources field). */
export const SOURCES_NAMED = 50;

/** The sources a channel subscribes to, by title, at most {@link SOURCES_NAMED}, and how many there are. */
export async function subscribedSources(
  store: Pick<Store, 'listSubscriptions' | 'listSources'>,
  channelId: string,
): Promise<{ named: { id: string; title: string; paused: boolean }[]; total: number }> {
  const subs = await store.listSubscriptions({ channelId });
  const sources = new Map((await store.listSources()).map((s) => [s.id, s]));
  const named = subs
    .filter((s) => sources.has(s.sourceId))
    .map((s) => ({ id: s.sourceId, title: sources.get(s.sourceId)!.title, paused: s.pausedReason !== null }))
    .sort((a, b) => a.title.localeCompare(b.title));
  return { named: named.slice(0, SOURCES_NAMED), total: named.length };
}
