import type {
  ImportOutcome,
  JournalEntry,
  PausedDestination,
  PlatformStateSnapshot,
  PlatformStateStore,
  QueuePost,
} from './platform-types';
import { bind, query, type Query } from './named';
import type { Row } from './rows';

/** One statement with its arguments. */
export type Statement = [sql: string, args: unknown[]];

/**
 * How the platform-state methods reach a database: both stores give one over their own driver,
 * so these methods and their SQL (the dialect SQLite and PostgreSQL share, with named parameters
 * bound by `namedRunner`) are written once. A statement is SQL with `?` and its values in order,
 * as `bind` (named.ts) makes it.
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

/** One sent post in the send journal, as `journal` writes it and `importJournal` copies it. */
type JournalRow = {
  deliveryId: string;
  platform: string;
  destination: string;
  messageId: string;
  title: string;
  sentAt: number;
};

export const PLATFORM_SQL = {
  pause: query<{
    platform: string;
    destination: string;
    reason: string;
    now: number;
  }>(`INSERT INTO paused_destinations (platform, destination, reason, paused_at) VALUES (:platform, :destination, :reason, :now)
    ON CONFLICT (platform, destination) DO NOTHING`),
  unpause: query<{ platform: string; destination: string }>(
    `DELETE FROM paused_destinations WHERE platform = :platform AND destination = :destination`,
  ),
  paused: query<{ platform: string; destination: string }>(
    `SELECT * FROM paused_destinations WHERE platform = :platform AND destination = :destination`,
  ),
  allPaused: query<{ platform: string }>(
    `SELECT * FROM paused_destinations WHERE platform = :platform ORDER BY paused_at, destination`,
  ),
  journal:
    query<JournalRow>(`INSERT INTO send_journal (delivery_id, platform, destination, message_id, title, sent_at) VALUES (:deliveryId, :platform, :destination, :messageId, :title, :sentAt)
    ON CONFLICT (delivery_id) DO UPDATE SET platform = excluded.platform, destination = excluded.destination,
    message_id = excluded.message_id, title = excluded.title, sent_at = excluded.sent_at`),
  journaled: query<{ platform: string; deliveryId: string }>(
    `SELECT * FROM send_journal WHERE platform = :platform AND delivery_id = :deliveryId`,
  ),
  recentJournal: query<{ platform: string; destination: string; limit: number }>(
    `SELECT * FROM send_journal WHERE platform = :platform AND destination = :destination ORDER BY sent_at DESC, delivery_id DESC LIMIT :limit`,
  ),
  pruneJournal: query<{ before: number }>(`DELETE FROM send_journal WHERE sent_at < :before`),
  move: query<{ platform: string; from: string; to: string }>(
    `INSERT INTO chat_moves (platform, from_id, to_id) VALUES (:platform, :from, :to) ON CONFLICT (platform, from_id) DO UPDATE SET to_id = excluded.to_id`,
  ),
  movedTo: query<{ platform: string; from: string }>(
    `SELECT to_id FROM chat_moves WHERE platform = :platform AND from_id = :from`,
  ),
  hold: query<{ deliveryId: string; platform: string; destination: string }>(
    `INSERT INTO held_for_resume (delivery_id, platform, destination) VALUES (:deliveryId, :platform, :destination) ON CONFLICT (delivery_id) DO NOTHING`,
  ),
  takeHeld: query<{ platform: string; destination: string }>(
    `DELETE FROM held_for_resume WHERE platform = :platform AND destination = :destination RETURNING delivery_id`,
  ),
  setSummary: query<{
    deliveryId: string;
    summary: string;
    by: string;
    at: number;
  }>(`INSERT INTO edited_summaries (delivery_id, summary, edited_by, edited_at) VALUES (:deliveryId, :summary, :by, :at)
    ON CONFLICT (delivery_id) DO UPDATE SET summary = excluded.summary, edited_by = excluded.edited_by, edited_at = excluded.edited_at`),
  summary: query<{ deliveryId: string }>(`SELECT summary FROM edited_summaries WHERE delivery_id = :deliveryId`),
  setPost: query<{
    deliveryId: string;
    summary: string;
    terms: string | null;
    by: string;
    at: number;
  }>(`INSERT INTO edited_summaries (delivery_id, summary, terms, edited_by, edited_at) VALUES (:deliveryId, :summary, :terms, :by, :at)
    ON CONFLICT (delivery_id) DO UPDATE SET summary = excluded.summary, terms = excluded.terms,
    edited_by = excluded.edited_by, edited_at = excluded.edited_at`),
  post: query<{ deliveryId: string }>(`SELECT summary, terms FROM edited_summaries WHERE delivery_id = :deliveryId`),
  recordQueuePost: query<{
    platform: string;
    deliveryId: string;
    channelId: string;
    messageId: string;
    closed: 0 | 1;
    postedAt: number;
  }>(`INSERT INTO queue_posts (platform, delivery_id, channel_id, message_id, closed, posted_at) VALUES (:platform, :deliveryId, :channelId, :messageId, :closed, :postedAt)
    ON CONFLICT (platform, delivery_id) DO UPDATE SET channel_id = excluded.channel_id, message_id = excluded.message_id,
    closed = excluded.closed, posted_at = excluded.posted_at`),
  queuePost: query<{ platform: string; deliveryId: string }>(
    `SELECT * FROM queue_posts WHERE platform = :platform AND delivery_id = :deliveryId`,
  ),
  openQueuePosts: query<{ platform: string }>(
    `SELECT * FROM queue_posts WHERE platform = :platform AND closed = 0 ORDER BY posted_at, delivery_id`,
  ),
  closeQueuePost: query<{ platform: string; deliveryId: string }>(
    `UPDATE queue_posts SET closed = 1 WHERE platform = :platform AND delivery_id = :deliveryId AND closed = 0`,
  ),
  insertWebhook: query<{ platform: string; channelId: string; webhookId: string; token: string }>(
    `INSERT INTO platform_webhooks (platform, channel_id, webhook_id, token) VALUES (:platform, :channelId, :webhookId, :token) ON CONFLICT (platform, channel_id) DO NOTHING`,
  ),
  webhook: query<{ platform: string; channelId: string }>(
    `SELECT webhook_id, token FROM platform_webhooks WHERE platform = :platform AND channel_id = :channelId`,
  ),
  forgetWebhook: query<{ platform: string; channelId: string; webhookId: string }>(
    `DELETE FROM platform_webhooks WHERE platform = :platform AND channel_id = :channelId AND webhook_id = :webhookId`,
  ),
  importGuard: query<{
    platform: string;
  }>(`SELECT (SELECT COUNT(*) FROM platform_state_imports WHERE platform = :platform) AS imports,
    (SELECT COUNT(*) FROM paused_destinations WHERE platform = :platform) + (SELECT COUNT(*) FROM send_journal WHERE platform = :platform)
    + (SELECT COUNT(*) FROM chat_moves WHERE platform = :platform) + (SELECT COUNT(*) FROM held_for_resume WHERE platform = :platform)
    + (SELECT COUNT(*) FROM queue_posts WHERE platform = :platform) + (SELECT COUNT(*) FROM platform_webhooks WHERE platform = :platform) AS n`),
  recordImport: query<{ platform: string; source: string; outcome: ImportOutcome; at: number }>(
    `INSERT INTO platform_state_imports (platform, source, outcome, at) VALUES (:platform, :source, :outcome, :at) ON CONFLICT (platform) DO NOTHING`,
  ),
  importSummary: query<{ deliveryId: string; summary: string; by: string; at: number }>(
    `INSERT INTO edited_summaries (delivery_id, summary, edited_by, edited_at) VALUES (:deliveryId, :summary, :by, :at) ON CONFLICT (delivery_id) DO NOTHING`,
  ),
  importQueuePost: query<{
    platform: string;
    deliveryId: string;
    channelId: string;
    messageId: string;
    closed: 0 | 1;
    postedAt: number;
  }>(`INSERT INTO queue_posts (platform, delivery_id, channel_id, message_id, closed, posted_at) VALUES (:platform, :deliveryId, :channelId, :messageId, :closed, :postedAt)
    ON CONFLICT (platform, delivery_id) DO NOTHING`),
  importJournal:
    query<JournalRow>(`INSERT INTO send_journal (delivery_id, platform, destination, message_id, title, sent_at) VALUES (:deliveryId, :platform, :destination, :messageId, :title, :sentAt)
    ON CONFLICT (delivery_id) DO NOTHING`),
  importMove: query<{ platform: string; from: string; to: string }>(
    `INSERT INTO chat_moves (platform, from_id, to_id) VALUES (:platform, :from, :to) ON CONFLICT (platform, from_id) DO NOTHING`,
  ),
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
    ...s.paused.map((p) => bind(S.pause, { platform, destination: p.destination, reason: p.reason, now: p.pausedAt })),
    ...s.journal.map((j) => bind(S.importJournal, { ...j, platform })),
    ...s.moves.map((m) => bind(S.importMove, { platform, from: m.from, to: m.to })),
    ...s.held.map((h) => bind(S.hold, { platform, deliveryId: h.deliveryId, destination: h.destination })),
    ...s.summaries.map((x) =>
      bind(S.importSummary, { deliveryId: x.deliveryId, summary: x.summary, by: x.by, at: x.at }),
    ),
    // The file kept its queue posts in the order it made them; posted_at keeps that order.
    ...s.queuePosts.map((q, i) =>
      bind(S.importQueuePost, {
        platform,
        deliveryId: q.deliveryId,
        channelId: q.channelId,
        messageId: q.messageId,
        closed: q.closed ? 1 : 0,
        postedAt: now - s.queuePosts.length + i,
      }),
    ),
    ...s.webhooks.map((w) =>
      bind(S.insertWebhook, { platform, channelId: w.channelId, webhookId: w.id, token: w.token }),
    ),
  ];
}

/** A runner's calls by named query: the parameters are bound by name here (named.ts), nowhere else. */
export function namedRunner(db: SqlRunner) {
  return {
    all: <P extends object>(q: Query<P>, params: NoInfer<P>) => db.all(...bind(q, params)),
    run: <P extends object>(q: Query<P>, params: NoInfer<P>) => db.run(...bind(q, params)),
    first: async <P extends object>(q: Query<P>, params: NoInfer<P>) => (await db.all(...bind(q, params)))[0],
  };
}

/** Stored terms read back defensively: anything but a JSON list reads as "not edited". */
function termsOf(text: unknown): unknown[] | null {
  if (text === null || text === undefined) return null;
  try {
    const value: unknown = JSON.parse(String(text));
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** The platform-state methods of a Store, over its runner. */
export function createPlatformState(runner: SqlRunner): PlatformStateStore {
  const S = PLATFORM_SQL;
  const db = namedRunner(runner);
  const webhook = async (platform: string, channelId: string) => {
    const row = await db.first(S.webhook, { platform, channelId });
    return row ? { id: String(row.webhook_id), token: String(row.token) } : undefined;
  };
  return {
    pauseDestination: async (platform, destination, reason, now) =>
      (await db.run(S.pause, { platform, destination, reason, now })) === 1,
    unpauseDestination: async (platform, destination) => (await db.run(S.unpause, { platform, destination })) === 1,
    pausedDestination: async (platform, destination) => {
      const row = await db.first(S.paused, { platform, destination });
      return row ? toPaused(row) : undefined;
    },
    pausedDestinations: async (platform) => (await db.all(S.allPaused, { platform })).map(toPaused),

    journalSend: async (platform, e) => void (await db.run(S.journal, { ...e, platform })),
    journaledSend: async (platform, deliveryId) => {
      const row = await db.first(S.journaled, { platform, deliveryId });
      return row ? toJournal(row) : undefined;
    },
    recentJournal: async (platform, destination, limit) =>
      (await db.all(S.recentJournal, { platform, destination, limit })).map(toJournal),
    pruneJournal: (before) => db.run(S.pruneJournal, { before }),

    recordMove: async (platform, from, to) => void (await db.run(S.move, { platform, from, to })),
    movedTo: async (platform, from) => {
      const row = await db.first(S.movedTo, { platform, from });
      return row ? String(row.to_id) : undefined;
    },

    holdForResume: async (platform, deliveryId, destination) =>
      void (await db.run(S.hold, { deliveryId, platform, destination })),
    takeHeldForResume: async (platform, destination) =>
      (await db.all(S.takeHeld, { platform, destination })).map((r) => String(r.delivery_id)).sort(),

    setEditedSummary: async (deliveryId, summary, by, now) =>
      void (await db.run(S.setSummary, { deliveryId, summary, by, at: now })),
    editedSummary: async (deliveryId) => {
      const row = await db.first(S.summary, { deliveryId });
      return row ? String(row.summary) : undefined;
    },
    setEditedPost: async (deliveryId, edit, by, now) =>
      void (await db.run(S.setPost, {
        deliveryId,
        summary: edit.summary,
        terms: edit.terms === null ? null : JSON.stringify(edit.terms),
        by,
        at: now,
      })),
    editedPost: async (deliveryId) => {
      const row = await db.first(S.post, { deliveryId });
      if (!row) return undefined;
      return { summary: String(row.summary), terms: termsOf(row.terms) };
    },

    recordQueuePost: async (platform, p, now) =>
      void (await db.run(S.recordQueuePost, {
        platform,
        deliveryId: p.deliveryId,
        channelId: p.channelId,
        messageId: p.messageId,
        closed: 0,
        postedAt: now,
      })),
    queuePost: async (platform, deliveryId) => {
      const row = await db.first(S.queuePost, { platform, deliveryId });
      return row ? toQueuePost(row) : undefined;
    },
    openQueuePosts: async (platform) => (await db.all(S.openQueuePosts, { platform })).map(toQueuePost),
    closeQueuePost: async (platform, deliveryId) => (await db.run(S.closeQueuePost, { platform, deliveryId })) === 1,

    saveWebhook: async (platform, channelId, hook) => {
      await db.run(S.insertWebhook, { platform, channelId, webhookId: hook.id, token: hook.token });
      return (await webhook(platform, channelId)) ?? hook;
    },
    webhook,
    forgetWebhook: async (platform, channelId, id) =>
      (await db.run(S.forgetWebhook, { platform, channelId, webhookId: id })) === 1,

    importPlatformState: (platform, snapshot, source, now) =>
      runner.guarded('platform_state_imports', bind(S.importGuard, { platform }), (row) => {
        const outcome: ImportOutcome =
          Number(row.imports) > 0 ? 'already' : Number(row.n) > 0 ? 'not-empty' : 'imported';
        if (outcome === 'already') return { writes: [], result: outcome };
        const marker = bind(S.recordImport, { platform, source, outcome, at: now });
        return {
          writes: outcome === 'imported' ? [...importStatements(platform, snapshot, now), marker] : [marker],
          result: outcome,
        };
      }),
  };
}
