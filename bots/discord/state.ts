import Database from 'better-sqlite3';

/** A Discord channel the bot stopped posting to after a 403 or 404. */
export interface PausedDestination {
  channelId: string;
  reason: string;
  pausedAt: number;
}

/** A held post shown in the moderators' channel. */
export interface QueuePost {
  deliveryId: string;
  channelId: string;
  messageId: string;
}

/**
 * What the Discord side keeps between runs, in a small SQLite file beside the store: paused
 * destinations, the queue posts already shown to moderators (so a restart does not repeat them),
 * and the webhooks the bot made for webhook delivery.
 */
export interface DiscordState {
  pause(channelId: string, reason: string, now: number): boolean;
  resume(channelId: string): boolean;
  paused(channelId: string): PausedDestination | undefined;
  allPaused(): PausedDestination[];
  recordQueuePost(post: QueuePost): void;
  queuePost(deliveryId: string): QueuePost | undefined;
  /** Queue posts whose buttons are still live (no decision seen yet). */
  openQueuePosts(): QueuePost[];
  /** Marks a queue post decided: its buttons are gone. */
  closeQueuePost(deliveryId: string): void;
  setWebhook(channelId: string, hook: { id: string; token: string }): void;
  webhook(channelId: string): { id: string; token: string } | undefined;
  forgetWebhook(channelId: string): void;
  close(): void;
}

/** Opens (creating if needed) the state file; `:memory:` for tests. */
export function openDiscordState(path: string): DiscordState {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS paused (channel_id TEXT PRIMARY KEY, reason TEXT NOT NULL, paused_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS queue_posts (delivery_id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, message_id TEXT NOT NULL, closed INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS webhooks (channel_id TEXT PRIMARY KEY, id TEXT NOT NULL, token TEXT NOT NULL);
  `);
  const columns = db.prepare('PRAGMA table_info(queue_posts)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'closed')) db.exec('ALTER TABLE queue_posts ADD COLUMN closed INTEGER NOT NULL DEFAULT 0');
  const q = {
    pause: db.prepare('INSERT OR IGNORE INTO paused (channel_id, reason, paused_at) VALUES (?, ?, ?)'),
    resume: db.prepare('DELETE FROM paused WHERE channel_id = ?'),
    paused: db.prepare('SELECT channel_id, reason, paused_at FROM paused WHERE channel_id = ?'),
    allPaused: db.prepare('SELECT channel_id, reason, paused_at FROM paused ORDER BY paused_at'),
    recordQueue: db.prepare('INSERT OR REPLACE INTO queue_posts (delivery_id, channel_id, message_id) VALUES (?, ?, ?)'),
    queue: db.prepare('SELECT delivery_id, channel_id, message_id FROM queue_posts WHERE delivery_id = ?'),
    openQueue: db.prepare('SELECT delivery_id, channel_id, message_id FROM queue_posts WHERE closed = 0 ORDER BY rowid'),
    closeQueue: db.prepare('UPDATE queue_posts SET closed = 1 WHERE delivery_id = ?'),
    setHook: db.prepare('INSERT OR REPLACE INTO webhooks (channel_id, id, token) VALUES (?, ?, ?)'),
    hook: db.prepare('SELECT id, token FROM webhooks WHERE channel_id = ?'),
    forgetHook: db.prepare('DELETE FROM webhooks WHERE channel_id = ?'),
  };
  type PausedRow = { channel_id: string; reason: string; paused_at: number };
  type QueueRow = { delivery_id: string; channel_id: string; message_id: string };
  const toPaused = (r: PausedRow): PausedDestination => ({ channelId: r.channel_id, reason: r.reason, pausedAt: r.paused_at });
  return {
    pause: (channelId, reason, now) => q.pause.run(channelId, reason, now).changes === 1,
    resume: (channelId) => q.resume.run(channelId).changes === 1,
    paused: (channelId) => {
      const row = q.paused.get(channelId) as PausedRow | undefined;
      return row ? toPaused(row) : undefined;
    },
    allPaused: () => (q.allPaused.all() as PausedRow[]).map(toPaused),
    recordQueuePost: (p) => void q.recordQueue.run(p.deliveryId, p.channelId, p.messageId),
    queuePost: (id) => {
      const row = q.queue.get(id) as QueueRow | undefined;
      return row ? { deliveryId: row.delivery_id, channelId: row.channel_id, messageId: row.message_id } : undefined;
    },
    openQueuePosts: () => (q.openQueue.all() as QueueRow[]).map((row) => ({ deliveryId: row.delivery_id, channelId: row.channel_id, messageId: row.message_id })),
    closeQueuePost: (id) => void q.closeQueue.run(id),
    setWebhook: (channelId, hook) => void q.setHook.run(channelId, hook.id, hook.token),
    webhook: (channelId) => q.hook.get(channelId) as { id: string; token: string } | undefined,
    forgetWebhook: (channelId) => void q.forgetHook.run(channelId),
    close: () => db.close(),
  };
}
