import Database from 'better-sqlite3';

/** A destination Telegram stopped accepting posts for (bot removed, blocked, chat gone). */
export interface PausedChat {
  chatId: string;
  reason: string;
  pausedAt: number;
}

/** A post the bot sent, as the journal recorded it right after Telegram's answer. */
export interface SentRecord {
  deliveryId: string;
  chatId: string;
  messageId: number;
  title: string;
  sentAt: number;
}

/**
 * What the Telegram side keeps between runs, in its own small SQLite file beside the store:
 * a journal of sent posts (so a post whose mark a crash lost is not sent twice), destinations
 * paused after a 403, group → supergroup migrations, and moderators' edited summaries.
 */
export interface TelegramState {
  recordSent(record: SentRecord): void;
  sentRecord(deliveryId: string): SentRecord | undefined;
  recentSent(chatId: string, limit: number): SentRecord[];
  pause(chatId: string, reason: string, now: number): boolean;
  resume(chatId: string): boolean;
  paused(chatId: string): PausedChat | undefined;
  allPaused(): PausedChat[];
  recordMigration(from: string, to: string): void;
  /** Follows migrations to the chat's current id. */
  currentChat(chatId: string): string;
  /** Remembers an outbox row that hit a paused destination, so a resume can bring it back whatever became of it. */
  holdRow(deliveryId: string, chatId: string): void;
  /** The rows held for a chat, forgetting them. */
  takeHeldRows(chatId: string): string[];
  setSummary(deliveryId: string, summary: string, by: string, now: number): void;
  summary(deliveryId: string): string | undefined;
  close(): void;
}

/** How long the send journal remembers a post: far longer than any outage a restart recovers from. */
const JOURNAL_DAYS = 30;

/** Opens (creating if needed) the state file; `:memory:` for tests. */
export function openTelegramState(path: string, now: number = Date.now()): TelegramState {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS sent (delivery_id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, message_id INTEGER NOT NULL, title TEXT NOT NULL, sent_at INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS sent_chat ON sent (chat_id, sent_at);
    CREATE TABLE IF NOT EXISTS paused_chats (chat_id TEXT PRIMARY KEY, reason TEXT NOT NULL, paused_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS migrations (from_chat TEXT PRIMARY KEY, to_chat TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS held_rows (delivery_id TEXT PRIMARY KEY, chat_id TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS summaries (delivery_id TEXT PRIMARY KEY, summary TEXT NOT NULL, by TEXT NOT NULL, at INTEGER NOT NULL);
  `);
  db.prepare('DELETE FROM sent WHERE sent_at < ?').run(now - JOURNAL_DAYS * 86_400_000);
  const q = {
    recordSent: db.prepare('INSERT OR REPLACE INTO sent (delivery_id, chat_id, message_id, title, sent_at) VALUES (?, ?, ?, ?, ?)'),
    sent: db.prepare('SELECT * FROM sent WHERE delivery_id = ?'),
    recent: db.prepare('SELECT * FROM sent WHERE chat_id = ? ORDER BY sent_at DESC, rowid DESC LIMIT ?'),
    pause: db.prepare('INSERT OR IGNORE INTO paused_chats (chat_id, reason, paused_at) VALUES (?, ?, ?)'),
    resume: db.prepare('DELETE FROM paused_chats WHERE chat_id = ?'),
    paused: db.prepare('SELECT * FROM paused_chats WHERE chat_id = ?'),
    allPaused: db.prepare('SELECT * FROM paused_chats ORDER BY paused_at'),
    migrate: db.prepare('INSERT OR REPLACE INTO migrations (from_chat, to_chat) VALUES (?, ?)'),
    migration: db.prepare('SELECT to_chat FROM migrations WHERE from_chat = ?'),
    hold: db.prepare('INSERT OR IGNORE INTO held_rows (delivery_id, chat_id) VALUES (?, ?)'),
    held: db.prepare('SELECT delivery_id FROM held_rows WHERE chat_id = ?'),
    unhold: db.prepare('DELETE FROM held_rows WHERE chat_id = ?'),
    setSummary: db.prepare('INSERT OR REPLACE INTO summaries (delivery_id, summary, by, at) VALUES (?, ?, ?, ?)'),
    summary: db.prepare('SELECT summary FROM summaries WHERE delivery_id = ?'),
  };
  type SentRow = { delivery_id: string; chat_id: string; message_id: number; title: string; sent_at: number };
  type PausedRow = { chat_id: string; reason: string; paused_at: number };
  const toSent = (r: SentRow): SentRecord => ({ deliveryId: r.delivery_id, chatId: r.chat_id, messageId: r.message_id, title: r.title, sentAt: r.sent_at });
  const toPaused = (r: PausedRow): PausedChat => ({ chatId: r.chat_id, reason: r.reason, pausedAt: r.paused_at });
  return {
    recordSent: (r) => void q.recordSent.run(r.deliveryId, r.chatId, r.messageId, r.title, r.sentAt),
    sentRecord: (id) => {
      const row = q.sent.get(id) as SentRow | undefined;
      return row ? toSent(row) : undefined;
    },
    recentSent: (chatId, limit) => (q.recent.all(chatId, limit) as SentRow[]).map(toSent),
    pause: (chatId, reason, now) => q.pause.run(chatId, reason, now).changes === 1,
    resume: (chatId) => q.resume.run(chatId).changes === 1,
    paused: (chatId) => {
      const row = q.paused.get(chatId) as PausedRow | undefined;
      return row ? toPaused(row) : undefined;
    },
    allPaused: () => (q.allPaused.all() as PausedRow[]).map(toPaused),
    recordMigration: (from, to) => void q.migrate.run(from, to),
    currentChat: (chatId) => {
      let id = chatId;
      for (let hops = 0; hops < 8; hops++) {
        const row = q.migration.get(id) as { to_chat: string } | undefined;
        if (!row) break;
        id = row.to_chat;
      }
      return id;
    },
    holdRow: (id, chatId) => void q.hold.run(id, chatId),
    takeHeldRows: db.transaction((chatId: string) => {
      const ids = (q.held.all(chatId) as { delivery_id: string }[]).map((r) => r.delivery_id);
      q.unhold.run(chatId);
      return ids;
    }),
    setSummary: (id, summary, by, now) => void q.setSummary.run(id, summary, by, now),
    summary: (id) => (q.summary.get(id) as { summary: string } | undefined)?.summary,
    close: () => db.close(),
  };
}
