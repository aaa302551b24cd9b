import { parseChatLang } from '../../shared/i18n/lang';
import type { Channel, Delivery, DeliveryStatus, Lease, LeaseKind, Source, Subscription, WorkerInfo } from './types';

/** A database row as a driver returns it (PostgreSQL drivers return BIGINT as strings). */
export type Row = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function parseJson(text: unknown, fallback: unknown): unknown {
  if (typeof text !== 'string') return fallback;
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

export function rowToSource(r: Row): Source {
  const tags = parseJson(r.tags, []);
  return {
    id: String(r.id),
    url: String(r.url),
    title: String(r.title),
    siteUrl: strOrNull(r.site_url),
    tags: Array.isArray(tags) ? tags.map(String) : [],
    lang: strOrNull(r.lang),
    intervalSec: numOrNull(r.interval_sec),
    trusted: num(r.trusted) === 1,
    active: num(r.active) === 1,
    pausedReason: strOrNull(r.paused_reason),
    pausedAt: numOrNull(r.paused_at),
    etag: strOrNull(r.etag),
    lastModified: strOrNull(r.last_modified),
    nextFetchAt: num(r.next_fetch_at),
    lastFetchAt: numOrNull(r.last_fetch_at),
    lastSuccessAt: numOrNull(r.last_success_at),
    failures: num(r.failures),
    lastError: strOrNull(r.last_error),
    createdAt: num(r.created_at),
  };
}

export function rowToChannel(r: Row): Channel {
  return {
    id: String(r.id),
    sink: String(r.sink),
    target: String(r.target),
    title: String(r.title),
    rules: parseJson(r.rules, {}),
    origin: r.origin === 'chat' ? 'chat' : 'config',
    ...(r.config_rules === null || r.config_rules === undefined ? {} : { configRules: String(r.config_rules) }),
    ...(r.digest === null || r.digest === undefined ? {} : { digest: parseJson(r.digest, null) }),
    ...(parseChatLang(r.lang) ? { lang: parseChatLang(r.lang)! } : {}),
    ...(parseChatLang(r.config_lang) ? { configLang: parseChatLang(r.config_lang)! } : {}),
  };
}

export function rowToDelivery(r: Row): Delivery {
  return {
    id: String(r.id),
    itemId: strOrNull(r.item_id),
    sourceId: String(r.source_id),
    channelId: String(r.channel_id),
    status: String(r.status) as DeliveryStatus,
    message: parseJson(r.message, null),
    createdAt: num(r.created_at),
    notBefore: num(r.not_before),
    attempts: num(r.attempts),
    claimedAt: numOrNull(r.claimed_at),
    claimedBy: strOrNull(r.claimed_by),
    sentAt: numOrNull(r.sent_at),
    remoteId: strOrNull(r.remote_id),
    lastError: strOrNull(r.last_error),
    decidedBy: strOrNull(r.decided_by),
  };
}

export function rowToSubscription(r: Row): Subscription {
  return {
    channelId: String(r.channel_id),
    sourceId: String(r.source_id),
    pausedReason: strOrNull(r.paused_reason),
    pausedAt: numOrNull(r.paused_at),
    createdAt: num(r.created_at),
  };
}

export function rowToWorker(r: Row): WorkerInfo {
  return {
    id: String(r.id),
    host: String(r.host),
    pid: num(r.pid),
    version: String(r.version),
    startedAt: num(r.started_at),
    heartbeatAt: num(r.heartbeat_at),
  };
}

export function rowToLease(r: Row): Lease {
  return {
    kind: String(r.kind) as LeaseKind,
    key: String(r.lease_key),
    owner: String(r.owner),
    until: num(r.until_at),
    takenAt: num(r.taken_at),
  };
}

export const rowToSourceLease = (r: Row) => ({ owner: String(r.owner), sources: num(r.n), oldestAt: num(r.oldest) });

/** Column values for an UPDATE of sources from a camelCase patch; unknown keys are ignored. */
export function sourcePatchColumns(patch: Record<string, unknown>): [string, unknown][] {
  const map: Record<string, string> = {
    url: 'url',
    title: 'title',
    siteUrl: 'site_url',
    tags: 'tags',
    lang: 'lang',
    intervalSec: 'interval_sec',
    trusted: 'trusted',
  };
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    const column = map[key];
    if (!column || value === undefined) continue;
    if (key === 'tags') out.push([column, JSON.stringify(value)]);
    else if (key === 'trusted') out.push([column, value ? 1 : 0]);
    else out.push([column, value]);
  }
  return out;
}
