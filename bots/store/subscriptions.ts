import { selectionKey, selectionOf, selects } from '../../shared/curation';
import { newId } from './ids';
import { query } from './named';
import { readRows, write, type Plan } from './plan';
import type { Channel, NewSource } from './types';

/**
 * Sources and subscriptions, written once for both stores as plans (plan.ts): a channel receives
 * the items of the sources it subscribes to. A source that loses its last active subscription is
 * paused with {@link UNSUBSCRIBED_REASON} (kept for operators to see); one that gains an active
 * subscription again is resumed, if that was why it was paused.
 */

/** Why a source stopped being fetched when no channel subscribed to it any more. */
export const UNSUBSCRIBED_REASON = 'no channel subscribes to it any more';

export const SUBSCRIPTION_SQL = {
  insertSource: query<{
    id: string;
    url: string;
    title: string;
    siteUrl: string | null;
    tags: string;
    lang: string | null;
    intervalSec: number | null;
    trusted: number;
    now: number;
  }>(`INSERT INTO sources (id, url, title, site_url, tags, lang, interval_sec, trusted, active, next_fetch_at, failures, created_at)
    VALUES (:id, :url, :title, :siteUrl, :tags, :lang, :intervalSec, :trusted, 1, :now, 0, :now) ON CONFLICT (url) DO NOTHING`),
  channelRules: query<Record<string, never>>(`SELECT id, rules FROM channels ORDER BY id`),
  channelById: query<{ id: string }>(`SELECT id, rules FROM channels WHERE id = :id`),
  sourcesForSelection: query<Record<string, never>>(`SELECT id, url, tags FROM sources ORDER BY created_at, id`),
  upsertChannel: query<{
    id: string;
    sink: string;
    target: string;
    title: string;
    rules: string;
    origin: 'config' | 'chat';
    configRules: string | null;
    digest: string | null;
    lang: string | null;
    configLang: string | null;
    now: number;
  }>(`INSERT INTO channels (id, sink, target, title, rules, origin, config_rules, digest, lang, config_lang, updated_at)
    VALUES (:id, :sink, :target, :title, :rules, :origin, :configRules, :digest, :lang, :configLang, :now)
    ON CONFLICT (id) DO UPDATE SET sink = excluded.sink, target = excluded.target, title = excluded.title,
    rules = excluded.rules, origin = excluded.origin, config_rules = excluded.config_rules, digest = excluded.digest,
    lang = excluded.lang, config_lang = excluded.config_lang, updated_at = excluded.updated_at`),
  deleteChannel: query<{ id: string }>(`DELETE FROM channels WHERE id = :id`),
  subscribe: query<{ channelId: string; sourceId: string; now: number }>(
    `INSERT INTO subscriptions (channel_id, source_id, created_at) VALUES (:channelId, :sourceId, :now)
    ON CONFLICT (channel_id, source_id) DO NOTHING`,
  ),
  unsubscribe: query<{ channelId: string; sourceId: string }>(
    `DELETE FROM subscriptions WHERE channel_id = :channelId AND source_id = :sourceId`,
  ),
  sourcesOfChannel: query<{ channelId: string }>(`SELECT source_id FROM subscriptions WHERE channel_id = :channelId`),
  unsubscribeAll: query<{ channelId: string }>(`DELETE FROM subscriptions WHERE channel_id = :channelId`),
  pause: query<{ channelId: string; sourceId: string; reason: string; now: number }>(
    `UPDATE subscriptions SET paused_reason = :reason, paused_at = :now
    WHERE channel_id = :channelId AND source_id = :sourceId AND paused_reason IS NULL`,
  ),
  resume: query<{ channelId: string; sourceId: string }>(
    `UPDATE subscriptions SET paused_reason = NULL, paused_at = NULL
    WHERE channel_id = :channelId AND source_id = :sourceId AND paused_reason IS NOT NULL`,
  ),
  // Only an active source nobody receives any more; a source never subscribed (no channels yet) keeps being fetched.
  pauseOrphan: query<{ sourceId: string; reason: string; now: number }>(
    `UPDATE sources SET active = 0, paused_reason = :reason, paused_at = :now WHERE id = :sourceId AND active = 1
    AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE source_id = :sourceId AND paused_reason IS NULL)`,
  ),
  // Keeps its failures and schedule (it was not failing), but fetches it now if it was due meanwhile.
  resumeOrphan: query<{ sourceId: string; reason: string; now: number }>(
    `UPDATE sources SET active = 1, paused_reason = NULL, paused_at = NULL,
    next_fetch_at = CASE WHEN next_fetch_at < :now THEN next_fetch_at ELSE :now END
    WHERE id = :sourceId AND active = 0 AND paused_reason = :reason
    AND EXISTS (SELECT 1 FROM subscriptions WHERE source_id = :sourceId AND paused_reason IS NULL)`,
  ),
  listAll: query<Record<string, never>>(`SELECT * FROM subscriptions ORDER BY channel_id, source_id`),
  listOfChannel: query<{ channelId: string }>(
    `SELECT * FROM subscriptions WHERE channel_id = :channelId ORDER BY channel_id, source_id`,
  ),
  listOfSource: query<{ sourceId: string }>(
    `SELECT * FROM subscriptions WHERE source_id = :sourceId ORDER BY channel_id, source_id`,
  ),
} as const;

/** The subscription queries for listing (a store maps rows with rowToSubscription). */
export const SUBSCRIPTION_LISTS = {
  all: SUBSCRIPTION_SQL.listAll,
  ofChannel: SUBSCRIPTION_SQL.listOfChannel,
  ofSource: SUBSCRIPTION_SQL.listOfSource,
};

const parseTags = (text: unknown): string[] => {
  try {
    const v: unknown = JSON.parse(String(text));
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};
const parseRules = (text: unknown): unknown => {
  try {
    return JSON.parse(String(text));
  } catch {
    return null;
  }
};

/** Pauses the sources among `lost` nobody receives any more, resumes those among `gained` paused for that. */
function* settle(lost: Iterable<string>, gained: Iterable<string>, now: number): Plan<void> {
  for (const sourceId of new Set(lost))
    yield* write(SUBSCRIPTION_SQL.pauseOrphan, { sourceId, reason: UNSUBSCRIBED_REASON, now });
  for (const sourceId of new Set(gained))
    yield* write(SUBSCRIPTION_SQL.resumeOrphan, { sourceId, reason: UNSUBSCRIBED_REASON, now });
}

/**
 * Adds a source; its subscribers are `only` (a channel moderator's /add), or else every channel
 * whose rules select it (an operator's add, an import). The id, or null when the URL exists.
 */
export function* addSourcePlan(input: NewSource, now: number, only?: string): Plan<string | null> {
  const id = newId(now);
  const added = yield* write(SUBSCRIPTION_SQL.insertSource, {
    id,
    url: input.url,
    title: input.title,
    siteUrl: input.siteUrl ?? null,
    tags: JSON.stringify(input.tags ?? []),
    lang: input.lang ?? null,
    intervalSec: input.intervalSec ?? null,
    trusted: input.trusted === false ? 0 : 1,
    now,
  });
  if (added === 0) return null;
  const source = { id, url: input.url, tags: input.tags ?? [] };
  const channels =
    only !== undefined
      ? [only]
      : (yield* readRows(SUBSCRIPTION_SQL.channelRules, {}))
          .filter((c) => selects(selectionOf(parseRules(c.rules)), source))
          .map((c) => String(c.id));
  for (const channelId of channels) yield* write(SUBSCRIPTION_SQL.subscribe, { channelId, sourceId: id, now });
  return id;
}

/**
 * Creates or updates a channel. A new channel, or one whose rules now select other sources (the
 * config file's selection changed, a moderator edited it), subscribes to exactly what its rules
 * select; otherwise its subscriptions, and the changes moderators made to them, are kept.
 */
export function* upsertChannelPlan(c: Channel, now: number): Plan<void> {
  const before = (yield* readRows(SUBSCRIPTION_SQL.channelById, { id: c.id }))[0];
  const rules = c.rules ?? {};
  yield* write(SUBSCRIPTION_SQL.upsertChannel, {
    id: c.id,
    sink: c.sink,
    target: c.target,
    title: c.title,
    rules: JSON.stringify(rules),
    origin: c.origin ?? 'config',
    configRules: c.configRules ?? null,
    digest: c.digest === undefined || c.digest === null ? null : JSON.stringify(c.digest),
    lang: c.lang ?? null,
    configLang: c.configLang ?? null,
    now,
  });
  const selection = selectionOf(rules);
  if (before && selectionKey(selectionOf(parseRules(before.rules))) === selectionKey(selection)) return;
  const lost = (yield* readRows(SUBSCRIPTION_SQL.sourcesOfChannel, { channelId: c.id })).map((r) =>
    String(r.source_id),
  );
  yield* write(SUBSCRIPTION_SQL.unsubscribeAll, { channelId: c.id });
  const gained: string[] = [];
  for (const s of yield* readRows(SUBSCRIPTION_SQL.sourcesForSelection, {})) {
    const source = { id: String(s.id), url: String(s.url), tags: parseTags(s.tags) };
    if (!selects(selection, source)) continue;
    yield* write(SUBSCRIPTION_SQL.subscribe, { channelId: c.id, sourceId: source.id, now });
    gained.push(source.id);
  }
  yield* settle(lost, gained, now);
}

/** Removes a channel and its subscriptions; the sources nobody receives any more are paused. */
export function* removeChannelPlan(id: string, now: number): Plan<boolean> {
  const lost = (yield* readRows(SUBSCRIPTION_SQL.sourcesOfChannel, { channelId: id })).map((r) => String(r.source_id));
  const removed = yield* write(SUBSCRIPTION_SQL.deleteChannel, { id });
  // Cascades do not run with foreign keys off; say it explicitly.
  yield* write(SUBSCRIPTION_SQL.unsubscribeAll, { channelId: id });
  yield* settle(lost, [], now);
  return removed > 0;
}

/** Subscribes a channel to a source; true when it was not subscribed yet. */
export function* subscribePlan(channelId: string, sourceId: string, now: number): Plan<boolean> {
  const added = yield* write(SUBSCRIPTION_SQL.subscribe, { channelId, sourceId, now });
  yield* settle([], [sourceId], now);
  return added > 0;
}

/** Ends a channel's subscription to a source; true when it was subscribed. */
export function* unsubscribePlan(channelId: string, sourceId: string, now: number): Plan<boolean> {
  const removed = yield* write(SUBSCRIPTION_SQL.unsubscribe, { channelId, sourceId });
  yield* settle([sourceId], [], now);
  return removed > 0;
}

/** Pauses (`reason`) or resumes (null) one channel's subscription; true when that changed it. */
export function* pauseSubscriptionPlan(
  channelId: string,
  sourceId: string,
  reason: string | null,
  now: number,
): Plan<boolean> {
  const changed =
    reason === null
      ? yield* write(SUBSCRIPTION_SQL.resume, { channelId, sourceId })
      : yield* write(SUBSCRIPTION_SQL.pause, { channelId, sourceId, reason, now });
  if (reason === null) yield* settle([], [sourceId], now);
  else yield* settle([sourceId], [], now);
  return changed > 0;
}
