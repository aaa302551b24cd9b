import type {
  ImportOutcome,
  JournalEntry,
  PausedDestination,
  PlatformStateSnapshot,
  PlatformStateStore,
  QueuePost,
} from './platform-types';
import type { Row } from './rows';

/** One statement with its arguments. */
export type Statement = [sql: string, args: unknown[]];

/**
 * How the platform-state methods reach a database: both stores give one over their own driver,
 * so these methods and their SQL (`?` placeholders, the dialect SQLite and PostgreSQL share) are
 * written once.
 */
export interface SqlRunner {
  all(sql: string, args: unknown[]): Promise<Row[]>;
  run(sql: string, args: unknown[]): Promise<number>;
  /**
   * One transaction: locks `lock` against other writers (PostgreSQL; SQLite has one writer), reads
   * the one row of `guard`, and runs the statements `plan` returns for it.
   */
  guarded<T>(lock: string, guard: Statement, plan: (row: Row) => { writes: Statement[]; result: T }): Promise<T>;
}

export const PLATFORM_SQL = {
  pause: `INSERT INTO paused_destinations (platform, destination, reason, paused_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (platform, destination) DO NOTHING`,
  unpause: `DELETE FROM paused_destinations WHERE platform = ? AND destination = ?`,
  paused: `SELECT * FROM paused_destinations WHERE platform = ? AND destination = ?`,
  allPaused: `SELECT * FROM paused_destinations WHERE platform = ? ORDER BY paused_at, destination`,
  journal: `INSERT INTO send_journal (delivery_id, platform, destination, message_id, title, sent_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (delivery_id) DO UPDATE SET platform = excluded.platform, destination = excluded.destination,
    message_id = excluded.message_id, title = excluded.title, sent_at = excluded.sent_at`,
  journaled: `SELECT * FROM send_journal WHERE platform = ? AND delivery_id = ?`,
  recentJournal: `SELECT * FROM send_journal WHERE platform = ? AND destination = ? ORDER BY sent_at DESC, delivery_id DESC LIMIT ?`,
  pruneJournal: `DELETE FROM send_journal WHERE sent_at < ?`,
  move: `INSERT INTO chat_moves (platform, from_id, to_id) VALUES (?, ?, ?) ON CONFLICT (platform, from_id) DO UPDATE SET to_id = excluded.to_id`,
  movedTo: `SELECT to_id FROM chat_moves WHERE platform = ? AND from_id = ?`,
  hold: `INSERT INTO held_for_resume (delivery_id, platform, destination) VALUES (?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING`,
  takeHeld: `DELETE FROM held_for_resume WHERE platform = ? AND destination = ? RETURNING delivery_id`,
  setSummary: `INSERT INTO edited_summaries (delivery_id, summary, edited_by, edited_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (delivery_id) DO UPDATE SET summary = excluded.summary, edited_by = excluded.edited_by, edited_at = excluded.edited_at`,
  summary: `SELECT summary FROM edited_summaries WHERE delivery_id = ?`,
  recordQueuePost: `INSERT INTO queue_posts (platform, delivery_id, channel_id, message_id, closed, posted_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (platform, delivery_id) DO UPDATE SET channel_id = excluded.channel_id, message_id = excluded.message_id,
    closed = excluded.closed, posted_at = excluded.posted_at`,
  queuePost: `SELECT * FROM queue_posts WHERE platform = ? AND delivery_id = ?`,
  openQueuePosts: `SELECT * FROM queue_posts WHERE platform = ? AND closed = 0 ORDER BY posted_at, delivery_id`,
  closeQueuePost: `UPDATE queue_posts SET closed = 1 WHERE platform = ? AND delivery_id = ? AND closed = 0`,
  insertWebhook: `INSERT INTO platform_webhooks (platform, channel_id, webhook_id, token) VALUES (?, ?, ?, ?) ON CONFLICT (platform, channel_id) DO NOTHING`,
  webhook: `SELECT webhook_id, token FROM platform_webhooks WHERE platform = ? AND channel_id = ?`,
  forgetWebhook: `DELETE FROM platform_webhooks WHERE platform = ? AND channel_id = ? AND webhook_id = ?`,
  importGuard: `SELECT (SELECT COUNT(*) FROM platform_state_imports WHERE platform = ?) AS imports,
    (SELECT COUNT(*) FROM paused_destinations WHERE platform = ?) + (SELECT COUNT(*) FROM send_journal WHERE platform = ?)
    + (SELECT COUNT(*) FROM chat_moves WHERE platform = ?) + (SELECT COUNT(*) FROM held_for_resume WHERE platform = ?)
    + (SELECT COUNT(*) FROM queue_posts WHERE platform = ?) + (SELECT COUNT(*) FROM platform_webhooks WHERE platform = ?) AS n`,
  recordImport: `INSERT INTO platform_state_imports (platform, source, outcome, at) VALUES (?, ?, ?, ?) ON CONFLICT (platform) DO NOTHING`,
  importSummary: `INSERT INTO edited_summaries (delivery_id, summary, edited_by, edited_at) VALUES (?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING`,
  importQueuePost: `INSERT INTO queue_posts (platform, delivery_id, channel_id, message_id, closed, posted_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (platform, delivery_id) DO NOTHING`,
  importJournal: `INSERT INTO send_journal (delivery_id, platform, destination, message_id, title, sent_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (delivery_id) DO NOTHING`,
  importMove: `INSERT INTO chat_moves (platform, from_id, to_id) VALUES (?, ?, ?) ON CONFLICT (platform, from_id) DO NOTHING`,
} as const;

/** The tables of migration 4, for `scipop store copy`. */
export const PLATFORM_TABLES = [
  'paused_destinations',
  'send_journal',
  'chat_moves',
  'held_for_resume',
  'edited_summaries',
  'queue_posts',
  'platform_webhooks',
  'platform_state_imports',
] as const;

const toPaused = (r: Row): PausedDestination => ({
  destination: String(r.destination),
  reason: String(r.reason),
  pausedAt: Number(r.paused_at),
});
const toJournal = (r: Row): JournalEntry => ({
  deliveryId: String(r.delivery_id),
  destination: String(r.destination),
  messageId: String(r.message_id),
  title: String(r.title),
  sentAt: Number(r.sent_at),
});
const toQueuePost = (r: Row): QueuePost => ({
  deliveryId: String(r.delivery_id),
  channelId: String(r.channel_id),
  messageId: String(r.message_id),
});

/** The statements that write a snapshot (every insert leaves a row already there alone). */
function importStatements(platform: string, s: PlatformStateSnapshot, now: number): Statement[] {
  const S = PLATFORM_SQL;
  return [
    ...s.paused.map((p): Statement => [S.pause, [platform, p.destination, p.reason, p.pausedAt]]),
    ...s.journal.map((j): Statement => [
      S.importJournal,
      [j.deliveryId, platform, j.destination, j.messageId, j.title, j.sentAt],
    ]),
    ...s.moves.map((m): Statement => [S.importMove, [platform, m.from, m.to]]),
    ...s.held.map((h): Statement => [S.hold, [h.deliveryId, platform, h.destination]]),
    ...s.summaries.map((x): Statement => [S.importSummary, [x.deliveryId, x.summary, x.by, x.at]]),
    // The file kept its queue posts in the order it made them; posted_at keeps that order.
    ...s.queuePosts.map((q, i): Statement => [
      S.importQueuePost,
      [platform, q.deliveryId, q.channelId, q.messageId, q.closed ? 1 : 0, now - s.queuePosts.length + i],
    ]),
    ...s.webhooks.map((w): Statement => [S.insertWebhook, [platform, w.channelId, w.id, w.token]]),
  ];
}

/** The platform-state methods of a Store, over its runner. */
export function createPlatformState(db: SqlRunner): PlatformStateStore {
  const S = PLATFORM_SQL;
  const first = async (sql: string, args: unknown[]) => (await db.all(sql, args))[0];
  const webhook = async (platform: string, channelId: string) => {
    const row = await first(S.webhook, [platform, channelId]);
    return row ? { id: String(row.webhook_id), token: String(row.token) } : undefined;
  };
  return {
    pauseDestination: async (platform, destination, reason, now) =>
      (await db.run(S.pause, [platform, destination, reason, now])) === 1,
    unpauseDestination: async (platform, destination) => (await db.run(S.unpause, [platform, destination])) === 1,
    pausedDestination: async (platform, destination) => {
      const row = await first(S.paused, [platform, destination]);
      return row ? toPaused(row) : undefined;
    },
    pausedDestinations: async (platform) => (await db.all(S.allPaused, [platform])).map(toPaused),

    journalSend: async (platform, e) =>
      void (await db.run(S.journal, [e.deliveryId, platform, e.destination, e.messageId, e.title, e.sentAt])),
    journaledSend: async (platform, deliveryId) => {
      const row = await first(S.journaled, [platform, deliveryId]);
      return row ? toJournal(row) : undefined;
    },
    recentJournal: async (platform, destination, limit) =>
      (await db.all(S.recentJournal, [platform, destination, limit])).map(toJournal),
    pruneJournal: (before) => db.run(S.pruneJournal, [before]),

    recordMove: async (platform, from, to) => void (await db.run(S.move, [platform, from, to])),
    movedTo: async (platform, from) => {
      const row = await first(S.movedTo, [platform, from]);
      return row ? String(row.to_id) : undefined;
    },

    holdForResume: async (platform, deliveryId, destination) =>
      void (await db.run(S.hold, [deliveryId, platform, destination])),
    takeHeldForResume: async (platform, destination) =>
      (await db.all(S.takeHeld, [platform, destination])).map((r) => String(r.delivery_id)).sort(),

    setEditedSummary: async (deliveryId, summary, by, now) =>
      void (await db.run(S.setSummary, [deliveryId, summary, by, now])),
    editedSummary: async (deliveryId) => {
      const row = await first(S.summary, [deliveryId]);
      return row ? String(row.summary) : undefined;
    },

    recordQueuePost: async (platform, p, now) =>
      void (await db.run(S.recordQueuePost, [platform, p.deliveryId, p.channelId, p.messageId, 0, now])),
    queuePost: async (platform, deliveryId) => {
      const row = await first(S.queuePost, [platform, deliveryId]);
      return row ? toQueuePost(row) : undefined;
    },
    openQueuePosts: async (platform) => (await db.all(S.openQueuePosts, [platform])).map(toQueuePost),
    closeQueuePost: async (platform, deliveryId) => (await db.run(S.closeQueuePost, [platform, deliveryId])) === 1,

    saveWebhook: async (platform, channelId, hook) => {
      await db.run(S.insertWebhook, [platform, channelId, hook.id, hook.token]);
      return (await webhook(platform, channelId)) ?? hook;
    },
    webhook,
    forgetWebhook: async (platform, channelId, id) => (await db.run(S.forgetWebhook, [platform, channelId, id])) === 1,

    importPlatformState: (platform, snapshot, source, now) =>
      db.guarded('platform_state_imports', [S.importGuard, Array.from({ length: 7 }, () => platform)], (row) => {
        const outcome: ImportOutcome =
          Number(row.imports) > 0 ? 'already' : Number(row.n) > 0 ? 'not-empty' : 'imported';
        if (outcome === 'already') return { writes: [], result: outcome };
        const marker: Statement = [S.recordImport, [platform, source, outcome, now]];
        return {
          writes: outcome === 'imported' ? [...importStatements(platform, snapshot, now), marker] : [marker],
          result: outcome,
        };
      }),
  };
}
