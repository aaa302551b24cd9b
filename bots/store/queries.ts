import { query } from './named';
import type { DeliveryStatus, LeaseKind, NullKeeps } from './types';

/**
 * The Store's SQL, written once in the dialect SQLite and PostgreSQL share, with named, typed
 * parameters (`:name`, named.ts) that each store binds by name (a PostgreSQL store numbers the
 * placeholders). Column lists are explicit so rows map the same.
 */
/** An item's "still listed" mark is refreshed at most this often (a write per item per day, not per fetch). */
export const LISTED_EVERY_MS = 86_400_000;

/** Pending rows a batch takes per channel (pendingDeliveries). */
export const HEADS = 10;

/** Queries without parameters (the same text on both stores). */
export const SQL = {
  listSources: `SELECT * FROM sources ORDER BY created_at, id`,
  listChannels: `SELECT * FROM channels ORDER BY id`,
  inDoubt: `SELECT * FROM outbox WHERE status = 'sending' ORDER BY created_at, id`,
  countSources: `SELECT COUNT(*) AS n, COALESCE(SUM(active), 0) AS active FROM sources`,
  countItems: `SELECT COUNT(*) AS n FROM items`,
  countByStatus: `SELECT status, COUNT(*) AS n FROM outbox GROUP BY status`,
  listWorkers: `SELECT * FROM workers ORDER BY started_at, id`,
  listLeases: `SELECT * FROM leases ORDER BY kind, lease_key`,
  schemaVersion: `SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations`,
} as const;

/**
 * The queries with parameters, each named and typed (named.ts): the store binds them by name, so
 * no call site keeps a positional array in step with this text.
 */
export const Q = {
  sourceById: query<{ id: string }>(`SELECT * FROM sources WHERE id = :id`),
  sourceByUrl: query<{ url: string }>(`SELECT * FROM sources WHERE url = :url`),
  deleteSource: query<{ id: string }>(`DELETE FROM sources WHERE id = :id`),
  dueSources: query<{ now: number; limit: number }>(
    `SELECT * FROM sources WHERE active = 1 AND next_fetch_at <= :now ORDER BY next_fetch_at, id LIMIT :limit`,
  ),
  pauseSource: query<{ id: string; reason: string; now: number }>(
    `UPDATE sources SET active = 0, paused_reason = :reason, paused_at = :now WHERE id = :id`,
  ),
  resumeSource: query<{ id: string; now: number }>(
    `UPDATE sources SET active = 1, paused_reason = NULL, paused_at = NULL, failures = 0, next_fetch_at = :now WHERE id = :id`,
  ),
  sourceLeases: query<{ now: number }>(
    `SELECT lease_owner AS owner, COUNT(*) AS n, MIN(lease_at) AS oldest FROM sources
    WHERE lease_owner IS NOT NULL AND lease_until > :now GROUP BY lease_owner ORDER BY lease_owner`,
  ),
  insertItem: query<{
    id: string;
    sourceId: string;
    key: string;
    title: string;
    link: string | null;
    publishedAt: number | null;
    /** The item's data as JSON text. */
    data: string;
    now: number;
  }>(`INSERT INTO items (id, source_id, item_key, title, link, published_at, data, seen_at)
    VALUES (:id, :sourceId, :key, :title, :link, :publishedAt, :data, :now) ON CONFLICT (source_id, item_key) DO NOTHING`),
  insertDelivery: query<{
    id: string;
    itemId: string;
    sourceId: string;
    channelId: string;
    status: DeliveryStatus;
    /** The message as JSON text. */
    message: string;
    now: number;
  }>(`INSERT INTO outbox (id, item_id, source_id, channel_id, status, message, created_at, not_before, attempts)
    VALUES (:id, :itemId, :sourceId, :channelId, :status, :message, :now, :now, 0) ON CONFLICT (item_id, channel_id) DO NOTHING`),
  inDoubtDead: query<{ aliveSince: number }>(`SELECT * FROM outbox WHERE status = 'sending'
    AND (claimed_by IS NULL OR claimed_by NOT IN (SELECT id FROM workers WHERE heartbeat_at >= :aliveSince)) ORDER BY created_at, id`),
  claim: query<{ id: string; now: number }>(
    `UPDATE outbox SET status = 'sending', claimed_at = :now, claimed_by = NULL, attempts = attempts + 1 WHERE id = :id AND status = 'pending'`,
  ),
  markSent: query<{ id: string; now: number; remoteId: string | null }>(
    `UPDATE outbox SET status = 'sent', sent_at = :now, remote_id = :remoteId, last_error = NULL WHERE id = :id`,
  ),
  markRetry: query<{ id: string; error: string; retryAt: number }>(
    `UPDATE outbox SET status = 'pending', last_error = :error, not_before = :retryAt, claimed_at = NULL, claimed_by = NULL WHERE id = :id`,
  ),
  markFailed: query<{ id: string; error: string }>(
    `UPDATE outbox SET status = 'failed', last_error = :error, claimed_at = NULL, claimed_by = NULL WHERE id = :id`,
  ),
  /** `note` null keeps the note the post had (why it was put off: a cap, a missing sink). */
  defer: query<{ id: string; notBefore: number; note: NullKeeps<string> }>(
    `UPDATE outbox SET not_before = :notBefore, note = COALESCE(:note, note) WHERE id = :id AND status = 'pending'`,
  ),
  insertVerdict: query<{
    itemId: string;
    sourceId: string;
    channelId: string;
    outcome: string;
    reason: string;
    now: number;
  }>(`INSERT INTO item_verdicts (item_id, source_id, channel_id, outcome, reason, created_at)
    VALUES (:itemId, :sourceId, :channelId, :outcome, :reason, :now) ON CONFLICT (item_id, channel_id) DO NOTHING`),
  deliveryById: query<{ id: string }>(`SELECT * FROM outbox WHERE id = :id`),
  heldAll: query<{ limit: number }>(`SELECT * FROM outbox WHERE status = 'held' ORDER BY created_at, id LIMIT :limit`),
  heldForChannel: query<{ channelId: string; limit: number }>(
    `SELECT * FROM outbox WHERE status = 'held' AND channel_id = :channelId ORDER BY created_at, id LIMIT :limit`,
  ),
  decide: query<{ id: string; status: 'pending' | 'rejected'; by: string; now: number }>(
    `UPDATE outbox SET status = :status, decided_by = :by, not_before = :now WHERE id = :id AND status = 'held'`,
  ),
  countSentSince: query<{ channelId: string; since: number }>(
    `SELECT COUNT(*) AS n FROM outbox WHERE channel_id = :channelId AND status = 'sent' AND sent_at >= :since`,
  ),
  markParsed: query<{ sourceId: string; now: number }>(`UPDATE sources SET last_parsed_at = :now WHERE id = :sourceId`),
  upsertWorker: query<{ id: string; host: string; pid: number; version: string; startedAt: number; now: number }>(
    `INSERT INTO workers (id, host, pid, version, started_at, heartbeat_at) VALUES (:id, :host, :pid, :version, :startedAt, :now)
    ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
  ),
  renewLeases: query<{ owner: string; until: number }>(`UPDATE leases SET until_at = :until WHERE owner = :owner`),
  renewSourceLeases: query<{ owner: string; until: number }>(
    `UPDATE sources SET lease_until = :until WHERE lease_owner = :owner`,
  ),
  deleteWorker: query<{ id: string }>(`DELETE FROM workers WHERE id = :id`),
  dropLeases: query<{ owner: string }>(`DELETE FROM leases WHERE owner = :owner`),
  dropSourceLeases: query<{ owner: string }>(
    `UPDATE sources SET lease_owner = NULL, lease_until = NULL, lease_at = NULL WHERE lease_owner = :owner`,
  ),
  releaseLease: query<{ kind: LeaseKind; key: string; owner: string }>(
    `DELETE FROM leases WHERE kind = :kind AND lease_key = :key AND owner = :owner`,
  ),
  listLeasesOfKind: query<{ kind: LeaseKind }>(`SELECT * FROM leases WHERE kind = :kind ORDER BY lease_key`),
  recordMigration: query<{ version: number; name: string; now: number }>(
    `INSERT INTO schema_migrations (version, name, applied_at) VALUES (:version, :name, :now)`,
  ),
  /**
   * Writes a fetch's state and ends the source's lease. NULL KEEPS: `url` null keeps the stored
   * URL (no permanent redirect) and `lastSuccessAt` null keeps the last success (a failed or 304 fetch).
   */
  saveFetchState: query<{
    id: string;
    url: string | null;
    etag: string | null;
    lastModified: string | null;
    nextFetchAt: number;
    lastFetchAt: number;
    lastSuccessAt: number | null;
    failures: number;
    lastError: string | null;
  }>(`UPDATE sources SET url = COALESCE(:url, url), etag = :etag, last_modified = :lastModified,
    next_fetch_at = :nextFetchAt, last_fetch_at = :lastFetchAt, last_success_at = COALESCE(:lastSuccessAt, last_success_at),
    failures = :failures, last_error = :lastError, lease_owner = NULL, lease_until = NULL, lease_at = NULL WHERE id = :id`),
  pauseIfReason: query<{ id: string; reason: string; now: number }>(
    `UPDATE sources SET active = 0, paused_reason = :reason, paused_at = :now WHERE id = :id AND active = 1`,
  ),
  // LOCK is empty on SQLite (one writer at a time) and FOR UPDATE SKIP LOCKED on PostgreSQL.
  leaseDueSources: query<{ owner: string; until: number; now: number; limit: number }>(
    `UPDATE sources SET lease_owner = :owner, lease_until = :until, lease_at = :now WHERE id IN (
    SELECT id FROM sources WHERE active = 1 AND next_fetch_at <= :now AND (lease_until IS NULL OR lease_until <= :now)
    ORDER BY next_fetch_at, id LIMIT :limit /*LOCK*/) RETURNING *`,
  ),
  // At most HEADS rows per channel, so one channel's backlog never crowds the others out of a batch.
  pendingDeliveries: query<{ now: number; limit: number }>(
    `SELECT * FROM (SELECT outbox.*, ROW_NUMBER() OVER (PARTITION BY channel_id ORDER BY created_at, id) AS head
    FROM outbox WHERE status = 'pending' AND not_before <= :now
    AND channel_id NOT IN (SELECT channel_id FROM outbox WHERE status = 'pending' AND not_before > :now)) AS heads
    WHERE head <= ${HEADS} ORDER BY created_at, id LIMIT :limit`,
  ),
  // A worker sends only to channels it holds, and never past a row another worker is sending.
  pendingOwned: query<{ now: number; owner: string; limit: number }>(
    `SELECT * FROM (SELECT outbox.*, ROW_NUMBER() OVER (PARTITION BY channel_id ORDER BY created_at, id) AS head
    FROM outbox WHERE status = 'pending' AND not_before <= :now
    AND channel_id IN (SELECT lease_key FROM leases WHERE kind = 'channel' AND owner = :owner AND until_at > :now)
    AND channel_id NOT IN (SELECT channel_id FROM outbox WHERE status = 'pending' AND not_before > :now)
    AND channel_id NOT IN (SELECT channel_id FROM outbox WHERE status = 'sending')) AS heads
    WHERE head <= ${HEADS} ORDER BY created_at, id LIMIT :limit`,
  ),
  resolveResend: query<{ id: string; claimedBy: string; note: string; now: number }>(
    `UPDATE outbox SET status = 'pending', last_error = :note, not_before = :now, claimed_by = NULL
    WHERE id = :id AND status = 'sending' AND COALESCE(claimed_by, '') = :claimedBy`,
  ),
  resolveSkip: query<{ id: string; claimedBy: string; note: string; now: number }>(
    `UPDATE outbox SET status = 'sent', last_error = :note, sent_at = :now, claimed_by = NULL
    WHERE id = :id AND status = 'sending' AND COALESCE(claimed_by, '') = :claimedBy`,
  ),
  claimOwned: query<{ id: string; owner: string; now: number }>(
    `UPDATE outbox SET status = 'sending', claimed_at = :now, claimed_by = :owner, attempts = attempts + 1
    WHERE id = :id AND status = 'pending'
    AND EXISTS (SELECT 1 FROM leases WHERE kind = 'channel' AND lease_key = outbox.channel_id AND owner = :owner AND until_at > :now)`,
  ),
  // Posts sent, and posts that may have been (claimed by a worker that died before recording the
  // answer: still sending, or back to pending with their claim time kept); a limiter counts both.
  recentSends: query<{ channelId: string; since: number }>(
    `SELECT sent_at AS t FROM outbox WHERE channel_id = :channelId AND status = 'sent' AND sent_at >= :since
    UNION ALL SELECT claimed_at AS t FROM outbox WHERE channel_id = :channelId AND status IN ('pending', 'sending')
    AND claimed_at IS NOT NULL AND claimed_at >= :since ORDER BY t`,
  ),
  // Items not listed since `before` and missing from their feed's last parsed copy (a feed answering
  // 304 for months keeps its items: they were listed when it last changed), with no post still to go.
  pruneItems: query<{ before: number; limit: number }>(
    `DELETE FROM items WHERE id IN (SELECT items.id FROM items JOIN sources ON sources.id = items.source_id
    WHERE items.seen_at < :before AND COALESCE(items.last_listed_at, items.seen_at) < :before
    AND sources.last_parsed_at IS NOT NULL AND COALESCE(items.last_listed_at, items.seen_at) < sources.last_parsed_at - ${LISTED_EVERY_MS}
    AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.item_id = items.id AND outbox.status IN ('held', 'pending', 'sending')) LIMIT :limit)`,
  ),
  // Taken when free or lapsed, renewed by its owner (who keeps the time it first took it).
  tryLease: query<{ kind: string; key: string; owner: string; until: number; now: number }>(
    `INSERT INTO leases (kind, lease_key, owner, until_at, taken_at) VALUES (:kind, :key, :owner, :until, :now)
    ON CONFLICT (kind, lease_key) DO UPDATE SET owner = excluded.owner, until_at = excluded.until_at,
    taken_at = CASE WHEN leases.owner = excluded.owner THEN leases.taken_at ELSE excluded.taken_at END
    WHERE leases.owner = excluded.owner OR leases.until_at <= :now`,
  ),
} as const;
