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
  saveFetchState: `UPDATE sources SET url = COALESCE(?, url), etag = ?, last_modified = ?, next_fetch_at = ?, last_fetch_at = ?,
    last_success_at = COALESCE(?, last_success_at), failures = ?, last_error = ?, lease_owner = NULL, lease_until = NULL, lease_at = NULL WHERE id = ?`,
  // LOCK is empty on SQLite (one writer at a time) and FOR UPDATE SKIP LOCKED on PostgreSQL.
  leaseDueSources: `UPDATE sources SET lease_owner = ?, lease_until = ?, lease_at = ? WHERE id IN (
    SELECT id FROM sources WHERE active = 1 AND next_fetch_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
    ORDER BY next_fetch_at, id LIMIT ? /*LOCK*/) RETURNING *`,
  sourceLeases: `SELECT lease_owner AS owner, COUNT(*) AS n, MIN(lease_at) AS oldest FROM sources
    WHERE lease_owner IS NOT NULL AND lease_until > ? GROUP BY lease_owner ORDER BY lease_owner`,
  pauseIfReason: `UPDATE sources SET active = 0, paused_reason = ?, paused_at = ? WHERE id = ? AND active = 1`,
  insertItem: `INSERT INTO items (id, source_id, item_key, title, link, published_at, data, seen_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, item_key) DO NOTHING`,
  insertDelivery: `INSERT INTO outbox (id, item_id, source_id, channel_id, status, message, created_at, not_before, attempts)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (item_id, channel_id) DO NOTHING`,
  listChannels: `SELECT * FROM channels ORDER BY id`,
  // At most HEADS rows per channel, so one channel's backlog never crowds the others out of a batch.
  pendingDeliveries: `SELECT * FROM (SELECT outbox.*, ROW_NUMBER() OVER (PARTITION BY channel_id ORDER BY created_at, id) AS head
    FROM outbox WHERE status = 'pending' AND not_before <= ?
    AND channel_id NOT IN (SELECT channel_id FROM outbox WHERE status = 'pending' AND not_before > ?)) AS heads
    WHERE head <= ${HEADS} ORDER BY created_at, id LIMIT ?`,
  // A worker sends only to channels it holds, and never past a row another worker is sending.
  pendingOwned: `SELECT * FROM (SELECT outbox.*, ROW_NUMBER() OVER (PARTITION BY channel_id ORDER BY created_at, id) AS head
    FROM outbox WHERE status = 'pending' AND not_before <= ?
    AND channel_id IN (SELECT lease_key FROM leases WHERE kind = 'channel' AND owner = ? AND until_at > ?)
    AND channel_id NOT IN (SELECT channel_id FROM outbox WHERE status = 'pending' AND not_before > ?)
    AND channel_id NOT IN (SELECT channel_id FROM outbox WHERE status = 'sending')) AS heads
    WHERE head <= ${HEADS} ORDER BY created_at, id LIMIT ?`,
  inDoubt: `SELECT * FROM outbox WHERE status = 'sending' ORDER BY created_at, id`,
  inDoubtDead: `SELECT * FROM outbox WHERE status = 'sending'
    AND (claimed_by IS NULL OR claimed_by NOT IN (SELECT id FROM workers WHERE heartbeat_at >= ?)) ORDER BY created_at, id`,
  resolveResend: `UPDATE outbox SET status = 'pending', last_error = ?, not_before = ?, claimed_by = NULL
    WHERE id = ? AND status = 'sending' AND COALESCE(claimed_by, '') = ?`,
  resolveSkip: `UPDATE outbox SET status = 'sent', last_error = ?, sent_at = ?, claimed_by = NULL
    WHERE id = ? AND status = 'sending' AND COALESCE(claimed_by, '') = ?`,
  claim: `UPDATE outbox SET status = 'sending', claimed_at = ?, claimed_by = NULL, attempts = attempts + 1 WHERE id = ? AND status = 'pending'`,
  claimOwned: `UPDATE outbox SET status = 'sending', claimed_at = ?, claimed_by = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending'
    AND EXISTS (SELECT 1 FROM leases WHERE kind = 'channel' AND lease_key = outbox.channel_id AND owner = ? AND until_at > ?)`,
  markSent: `UPDATE outbox SET status = 'sent', sent_at = ?, remote_id = ?, last_error = NULL WHERE id = ?`,
  markRetry: `UPDATE outbox SET status = 'pending', last_error = ?, not_before = ?, claimed_at = NULL, claimed_by = NULL WHERE id = ?`,
  markFailed: `UPDATE outbox SET status = 'failed', last_error = ?, claimed_at = NULL, claimed_by = NULL WHERE id = ?`,
  defer: `UPDATE outbox SET not_before = ? WHERE id = ? AND status = 'pending'`,
  deliveryById: `SELECT * FROM outbox WHERE id = ?`,
  heldAll: `SELECT * FROM outbox WHERE status = 'held' ORDER BY created_at, id LIMIT ?`,
  heldForChannel: `SELECT * FROM outbox WHERE status = 'held' AND channel_id = ? ORDER BY created_at, id LIMIT ?`,
  decide: `UPDATE outbox SET status = ?, decided_by = ?, not_before = ? WHERE id = ? AND status = 'held'`,
  countSentSince: `SELECT COUNT(*) AS n FROM outbox WHERE channel_id = ? AND status = 'sent' AND sent_at >= ?`,
  // Posts sent, and posts that may have been (claimed by a worker that died before recording the
  // answer: still sending, or back to pending with their claim time kept); a limiter counts both.
  recentSends: `SELECT sent_at AS t FROM outbox WHERE channel_id = ? AND status = 'sent' AND sent_at >= ?
    UNION ALL SELECT claimed_at AS t FROM outbox WHERE channel_id = ? AND status IN ('pending', 'sending') AND claimed_at IS NOT NULL AND claimed_at >= ?
    ORDER BY t`,
  // Items not listed since `before` and missing from their feed's last parsed copy (a feed answering
  // 304 for months keeps its items: they were listed when it last changed), with no post still to go.
  pruneItems: `DELETE FROM items WHERE id IN (SELECT items.id FROM items JOIN sources ON sources.id = items.source_id
    WHERE items.seen_at < ? AND COALESCE(items.last_listed_at, items.seen_at) < ?
    AND sources.last_parsed_at IS NOT NULL AND COALESCE(items.last_listed_at, items.seen_at) < sources.last_parsed_at - ${LISTED_EVERY_MS}
    AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.item_id = items.id AND outbox.status IN ('held', 'pending', 'sending')) LIMIT ?)`,
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
  // Taken when free or lapsed, renewed by its owner (who keeps the time it first took it).
  tryLease: `INSERT INTO leases (kind, lease_key, owner, until_at, taken_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (kind, lease_key) DO UPDATE SET owner = excluded.owner, until_at = excluded.until_at,
    taken_at = CASE WHEN leases.owner = excluded.owner THEN leases.taken_at ELSE excluded.taken_at END
    WHERE leases.owner = excluded.owner OR leases.until_at <= ?`,
  releaseLease: `DELETE FROM leases WHERE kind = ? AND lease_key = ? AND owner = ?`,
  listLeases: `SELECT * FROM leases ORDER BY kind, lease_key`,
  listLeasesOfKind: `SELECT * FROM leases WHERE kind = ? ORDER BY lease_key`,
  schemaVersion: `SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations`,
  recordMigration: `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
} as const;
