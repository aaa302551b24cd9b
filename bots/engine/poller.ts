import { curate } from '../../shared/curation';
import type { Item } from '../../shared/feed/item';
import { buildMessage } from '../../shared/message/build';
import type { Message } from '../../shared/message/message';
import type { FetchState, NewDelivery, NewItem, NewVerdict, Source } from '../store/types';
import type { FetchError } from './fetch-types';
import { subscribersOf } from './channels';
import { planFailure, successDelayMs } from './schedule';
import type { ChannelRegistry, PollDeps } from './types';

/** What one poll of one source did. */
export interface PollReport {
  sourceId: string;
  outcome: 'ok' | 'not-modified' | 'error';
  newItems: number;
  deliveries: number;
  error?: string;
  pausedReason?: string;
  /**
   * The source has never been fetched and could not be reached at all (no DNS answer, no
   * connection, no answer in time): its warning is left to the cycle's one-line summary, so a
   * first start without network says it once instead of once per source.
   */
  unreachable?: boolean;
}

/** Called when a source is paused, so moderators hear of it through the sinks. */
export type PauseListener = (source: Source, reason: string) => Promise<void>;

const PERMANENT_CODES = new Set<FetchError['code']>(['invalid-url', 'blocked-address']);
/** Failures that say the network, not the feed, is the problem. */
const UNREACHABLE_CODES = new Set<FetchError['code']>(['dns', 'connect', 'timeout']);

function publishedMs(item: Item): number | null {
  if (!item.published) return null;
  const t = Date.parse(item.published);
  return Number.isNaN(t) ? null : t;
}

/** On a first fetch, the keys of the newest `n` items (by date, else document order: feeds list newest first). */
function newestKeys(items: readonly Item[], n: number): Set<string> {
  if (n <= 0) return new Set();
  const ranked = items.map((item, i) => ({ item, i, t: publishedMs(item) ?? -Infinity }));
  ranked.sort((a, b) => b.t - a.t || a.i - b.i);
  return new Set(ranked.slice(0, n).map((r) => r.item.key));
}

/**
 * Polls one source: a conditional GET, parse and normalize, the items not seen before, curation
 * per channel, and one store transaction recording the items as seen together with their outbox
 * rows and the new fetch state. Errors become values here (STYLE.md: translated once, per feed).
 */
export async function pollSource(
  source: Source,
  deps: PollDeps,
  channels: ChannelRegistry,
  onPaused?: PauseListener,
): Promise<PollReport> {
  const { store, settings, clock, random, log, metrics } = deps;
  const started = clock.now().getTime();
  const report: PollReport = { sourceId: source.id, outcome: 'error', newItems: 0, deliveries: 0 };

  const fail = async (message: string, permanent: boolean, retryAfterSeconds?: number, unreachable = false) => {
    const plan = planFailure(
      source,
      { message, permanent, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) },
      settings.schedule,
      random,
    );
    const state: FetchState = {
      etag: source.etag,
      lastModified: source.lastModified,
      nextFetchAt: started + plan.delayMs,
      lastFetchAt: started,
      lastSuccessAt: null,
      failures: plan.failures,
      lastError: message,
      pausedReason: plan.pauseReason,
    };
    await store.saveFetchState(source.id, state);
    report.error = message;
    // Never reached yet: the cycle summarizes these (engine.ts); one per source would drown the log.
    const firstTry = unreachable && source.lastSuccessAt === null && !plan.pauseReason;
    if (firstTry) report.unreachable = true;
    log[firstTry ? 'debug' : 'warn'](
      { source: source.url, failures: plan.failures, retryInSec: Math.round(plan.delayMs / 1000), err: message },
      'fetch failed',
    );
    if (plan.pauseReason) {
      report.pausedReason = plan.pauseReason;
      metrics?.pauses.inc();
      log.error({ source: source.url, reason: plan.pauseReason }, 'source paused');
      await onPaused?.(source, plan.pauseReason);
    }
    return report;
  };

  const result = await deps.fetcher.fetch(source.url, {
    ...(source.etag ? { etag: source.etag } : {}),
    ...(source.lastModified ? { lastModified: source.lastModified } : {}),
  });
  if (result.kind === 'error') {
    metrics?.fetches.inc({ result: 'error' });
    metrics?.fetchFailures.inc({ code: result.code });
    const permanent = PERMANENT_CODES.has(result.code) || result.status === 410;
    return fail(result.message, permanent, result.retryAfterSeconds, UNREACHABLE_CODES.has(result.code));
  }
  let movedTo =
    result.permanentRedirect && result.permanentRedirect !== source.url ? result.permanentRedirect : undefined;
  let duplicateReason: string | null = null;
  if (movedTo) {
    const other = await store.getSource(movedTo);
    if (other && other.id !== source.id) {
      // Two sources now name one feed: keep the other, pause this one rather than post twice.
      duplicateReason = `its feed moved permanently to ${movedTo}, which is already the source "${other.title}"`;
      movedTo = undefined;
    } else log.info({ source: source.url, to: movedTo }, 'source moved permanently; URL updated');
  }
  const success = (hints: { ttlMinutes?: number }): FetchState => ({
    ...(movedTo ? { url: movedTo } : {}),
    etag: result.etag ?? (result.kind === 'not-modified' ? source.etag : null),
    lastModified: result.lastModified ?? (result.kind === 'not-modified' ? source.lastModified : null),
    nextFetchAt:
      started +
      successDelayMs(
        source,
        { ...hints, ...(result.maxAgeSeconds !== undefined ? { maxAgeSeconds: result.maxAgeSeconds } : {}) },
        settings.schedule,
        random,
      ),
    lastFetchAt: started,
    lastSuccessAt: started,
    failures: 0,
    lastError: null,
    pausedReason: duplicateReason,
  });

  const reportDuplicate = async () => {
    if (!duplicateReason) return;
    report.pausedReason = duplicateReason;
    log.warn({ source: source.url, reason: duplicateReason }, 'source paused');
    await onPaused?.(source, duplicateReason);
  };

  if (result.kind === 'not-modified') {
    metrics?.fetches.inc({ result: 'not_modified' });
    await store.saveFetchState(source.id, success({}));
    report.outcome = 'not-modified';
    await reportDuplicate();
    return report;
  }
  metrics?.fetches.inc({ result: 'ok' });
  const parsed = await deps.parse(result.body, { url: result.finalUrl });
  if (!parsed.ok) {
    metrics?.fetchFailures.inc({ code: 'parse' });
    return fail(`not a feed: ${parsed.error}`, false);
  }
  const feed = parsed.value;
  const unseen = await store.unseenKeys(
    source.id,
    feed.items.map((i) => i.key),
  );
  const fresh = feed.items.filter((i) => unseen.has(i.key));
  const firstFetch = source.lastSuccessAt === null;
  const postable = firstFetch ? newestKeys(fresh, settings.firstFetchPosts) : null;
  const now = clock.now().getTime();
  // Posted oldest first, so each channel reads in the order things happened: by date when every
  // new item has one (some feeds list oldest first), else reversed document order (feeds list newest first).
  const reversed = [...fresh].reverse();
  const dated = reversed.map((item) => publishedMs(item));
  const ordered = dated.every((t) => t !== null)
    ? reversed
        .map((item, i) => ({ item, t: dated[i]!, i }))
        .sort((x, y) => x.t - y.t || x.i - y.i)
        .map((x) => x.item)
    : reversed;
  // A source subscribed since this worker last read the channels (added from the command line or
  // by another worker) is fetched at once: read the subscriptions again before its items go to nobody.
  if (ordered.length > 0 && subscribersOf(channels.list(), source.id).length === 0) await channels.refresh?.();
  const items: NewItem[] = ordered.map((item) => {
    const deliveries: NewDelivery[] = [];
    // Why a subscribed channel gets no post of it, for the delivery log.
    const verdicts: NewVerdict[] = [];
    if (postable !== null && !postable.has(item.key)) {
      const reason =
        settings.firstFetchPosts > 0
          ? `first fetch of the source: only its newest ${settings.firstFetchPosts} item(s) are posted`
          : 'first fetch of the source: the items already in the feed are not posted';
      for (const c of subscribersOf(channels.list(), source.id))
        verdicts.push({ channelId: c.channel.id, outcome: 'skipped', reason });
    }
    if (postable === null || postable.has(item.key)) {
      // One post per language the receiving channels speak (their fixed words and term explanations).
      const messages = new Map<string, Message>();
      const curationSource = {
        id: source.id,
        url: source.url,
        tags: source.tags,
        lang: source.lang ?? feed.lang ?? null,
        trusted: source.trusted,
      };
      for (const c of subscribersOf(channels.list(), source.id)) {
        const verdict = curate(
          c.rules,
          { ...item, lang: item.lang ?? curationSource.lang ?? undefined },
          curationSource,
          now,
        );
        if (!verdict.post) {
          verdicts.push({ channelId: c.channel.id, outcome: 'filtered', reason: verdict.reason });
          continue;
        }
        const lang = c.channel.lang ?? 'en';
        let message = messages.get(lang);
        if (!message) {
          message = buildMessage(
            item,
            { title: source.title || feed.title, siteUrl: source.siteUrl ?? feed.link ?? null, tags: source.tags },
            { ...(deps.glossary ? { glossary: deps.glossary } : {}), maxTerms: settings.maxTerms, lang },
          );
          messages.set(lang, message);
        }
        // A digest-only channel keeps the post for its next digest instead of sending it alone.
        const keep = verdict.status === 'pending' && c.digest?.mode === 'digest-only';
        deliveries.push({ channelId: c.channel.id, status: keep ? 'digest' : verdict.status, message });
      }
    }
    return {
      key: item.key,
      title: item.title,
      link: item.link ?? null,
      publishedAt: publishedMs(item),
      data: item,
      deliveries,
      ...(verdicts.length > 0 ? { verdicts } : {}),
    };
  });
  const listed = feed.items.filter((i) => !unseen.has(i.key)).map((i) => i.key);
  const committed = await store.commitFetch(
    source.id,
    success(feed.ttl !== undefined ? { ttlMinutes: feed.ttl } : {}),
    items,
    now,
    listed,
  );
  metrics?.items.inc(committed.insertedItems);
  metrics?.fetchSeconds.observe((clock.now().getTime() - started) / 1000);
  report.outcome = 'ok';
  await reportDuplicate();
  report.newItems = committed.insertedItems;
  report.deliveries = committed.insertedDeliveries;
  if (committed.insertedItems > 0) {
    log.info(
      { source: source.url, newItems: committed.insertedItems, deliveries: committed.insertedDeliveries, firstFetch },
      'new items',
    );
  }
  return report;
}
