import { query } from './named';

/**
 * The Store's SQL, written once with `?` placeholders in the dialect SQLite and PostgreSQL share
 * (a PostgreSQL store numbers the placeholders). Column lists are explicit so rows map the same.
 */
/** An item's "still listed" mark is refreshed at most this often (a write per item per day, not per fetch). */
export const LISTED_EVERY_MS = 86_400_000;

/** Pending rows a batch takes per channel (pendingDeliveries). */
export const HEADS = 10;

export const SQL = {
  sourceById: `SELECT * FROM sources WHERE id = ?`,
  sourceByUrl: `SELECT * FROM sources WHERE url = ?`,
  listSources: `SELECT * FROM sources ORDER BY created_at, id`,
  deleteSource: `DELETE FROM sources WHERE id = ?`,
  dueSources: `SELECT * FROM sources WHERE active = 1 AND next_fetch_at <= ? ORDER BY next_fetch_at, id LIMIT ?`,
  pauseSource: `UPDATE sources SET active = 0, paused_reason = ?, paused_at = ? WHERE id = ?`,
  resumeSource: `UPDATE sources SET active = 1, paused_reason = NULL, paused_at = NULL, failures = 0, next_fetch_at = ? WHERE id = ?`,
  sourceLeases: `SELECT lease_owner AS owner, COUNT(*) AS n, MIN(lease_at) AS oldest FROM sources
    WHERE lease_owner IS NOT NULL AND lease_until > ? GROUP BY lease_owner ORDER BY lease_owner`,
  insertItem: `INSERT INTO items (id, source_id, item_key, title, link, published_at, data, seen_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, item_key) DO NOTHING`,
  insertDelivery: `INSERT INTO outbox (id, item_id, source_id, channel_id, status, message, created_at, not_before, attempts)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (item_id, channel_id) DO NOTHING`,
  listChannels: `SELECT * FROM channels ORDER BY id`,
  inDoubt: `SELECT * FROM outbox WHERE status = 'sending' ORDER BY created_at, id`,
  inDoubtDead: `SELECT * FROM outbox WHERE status = 'sending'
    AND (claimed_by IS NULL OR claimed_by NOT IN (SELECT id FROM workers WHERE heartbeat_at >= ?)) ORDER BY created_at, id`,
  claim: `UPDATE outbox SET status = 'sending', claimed_at = ?, claimed_by = NULL, attempts = attempts + 1 WHERE id = ? AND status = 'pending'`,
  markSent: `UPDATE outbox SET status = 'sent', sent_at = ?, remote_id = ?, last_error = NULL WHERE id = ?`,
  markRetry: `UPDATE outbox SET status = 'pending', last_error = ?, not_before = ?, claimed_at = NULL, claimed_by = NULL WHERE id = ?`,
  markFailed: `UPDATE outbox SET status = 'failed', last_error = ?, claimed_at = NULL, claimed_by = NULL WHERE id = ?`,
  defer: `UPDATE outbox SET not_before = ? WHERE id = ? AND status = 'pending'`,
  deliveryById: `SELECT * FROM outbox WHERE id = ?`,
  heldAll: `SELECT * FROM outbox WHERE status = 'held' ORDER BY created_at, id LIMIT ?`,
  heldForChannel: `SELECT * FROM outbox WHERE status = 'held' AND channel_id = ? ORDER BY created_at, id LIMIT ?`,
  decide: `UPDATE outbox SET status = ?, decided_by = ?, not_before = ? WHERE id = ? AND status = 'held'`,
  countSentSince: `SELECT COUNT(*) AS n FROM outbox WHERE channel_id = ? AND status = 'sent' AND sent_at >= ?`,
  markParsed: `UPDATE sources SET last_parsed_at = ? WHERE id = ?`,
  countSources: `SELECT COUNT(*) AS n, COALESCE(SUM(active), 0) AS active FROM sources`,
  countItems: `SELECT COUNT(*) AS n FROM items`,
  countByStatus: `SELECT status, COUNT(*) AS n FROM outbox GROUP BY status`,
  upsertWorker: `INSERT INTO workers (id, host, pid, version, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
  renewLeases: `UPDATE leases SET until_at = ? WHERE owner = ?`,
  renewSourceLeases: `UPDATE sources SET lease_until = ? WHERE lease_owner = ?`,
  deleteWorker: `DELETE FROM workers WHERE id = ?`,
  dropLeases: `DELETE FROM leases WHERE owner = ?`,
  dropSourceLeases: `UPDATE sources SET lease_owner = NULL, lease_until = NULL, lease_at = NULL WHERE lease_owner = ?`,
  listWorkers: `SELECT * FROM workers ORDER BY started_at, id`,
  releaseLease: `DELETE FROM leases WHERE kind = ? AND lease_key = ? AND owner = ?`,
  listLeases: `SELECT * FROM leases ORDER BY kind, lease_key`,
  listLeasesOfKind: `SELECT * FROM leases WHERE kind = ? ORDER BY lease_key`,
  schemaVersion: `SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations`,
  recordMigration: `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
} as const;

/**
 * The queries whose parameters repeat or are many, with named, typed parameters (named.ts): the
 * store binds them by name, so no call site keeps a positional array in step with this text.
 */
export const Q = {
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
