import {
  compileRules,
  curate,
  selectionKey,
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
 * Whose items the channel would get with these rules: with its source selection unchanged, the
 * sources it subscribes to (as the engine does; paused subscriptions left out); with a changed
 * selection, every source when it selects none (as a save would subscribe it to every source),
 * else those it selects and those it already subscribes to (an item of a source the edited rules
 * drop shows as "source not selected").
 */
async function candidates(
  store: Pick<Store, 'listSubscriptions' | 'listSources'>,
  channel: Channel,
  rules: CompiledRules,
): Promise<{ channelId: string } | { sourceIds: string[] } | null> {
  const selection = selectionOf(rules.rules);
  if (selectionKey(selection) === selectionKey(selectionOf(channel.rules))) return { channelId: channel.id };
  if (selection.sources.length === 0 && selection.tags.length === 0) return null;
  const subscribed = (await store.listSubscriptions({ channelId: channel.id })).map((s) => s.sourceId);
  const selected = (await store.listSources()).filter((s) => selects(selection, s)).map((s) => s.id);
  return { sourceIds: [...new Set([...selected, ...subscribed])] };
}

/**
 * Decides, with the real curation (shared/curation's `curate`), which of the channel's latest
 * {@link PREVIEW_ITEMS} items the given rules would post, hold for approval or filter out and why.
 * Caps decide when a post goes, not whether, so they are not part of it. Nothing is stored.
 */
export async function previewRules(
  deps: { store: Pick<Store, 'listSubscriptions' | 'listSources' | 'recentItems' | 'getSource'>; now: () => number },
  channel: Channel,
  rules: CompiledRules,
): Promise<RulePreview> {
  const now = deps.now();
  const items = await deps.store.recentItems(await candidates(deps.store, channel, rules), PREVIEW_ITEMS);
  // Only the sources of these items are read: a network may have thousands.
  const ids = [...new Set(items.map((i) => i.sourceId))];
  const found = await Promise.all(ids.map((id) => deps.store.getSource(id)));
  const byId = new Map(found.filter((x): x is Source => x !== undefined).map((x) => [x.id, x]));
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
  store: Pick<Store, 'listSubscriptions' | 'getSource'>,
  channelId: string,
): Promise<{ named: { id: string; title: string; paused: boolean }[]; total: number }> {
  const subs = await store.listSubscriptions({ channelId });
  const named = await Promise.all(
    subs.slice(0, SOURCES_NAMED).map(async (s) => ({
      id: s.sourceId,
      title: (await store.getSource(s.sourceId))?.title ?? s.sourceId,
      paused: s.pausedReason !== null,
    })),
  );
  return { named, total: subs.length };
}
