import type { EditedPost } from '../store/platform-types';
import type { TableReader } from '../store/legacy-state';
import type { PlatformStateSnapshot } from '../store/platform-types';
import { legacyPaused, pausedDestinations } from '../platform/paused';
import { definePlatformState } from '../platform/types';

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
 * What the Telegram side keeps between runs, in the Store, so every worker sees it: a journal of
 * sent posts (so a post whose mark a crash lost is not sent twice), destinations paused after a
 * 403, group → supergroup migrations, rows held for a resume, and moderators' edited summaries.
 */
export interface TelegramState {
  recordSent(record: SentRecord): Promise<void>;
  sentRecord(deliveryId: string): Promise<SentRecord | undefined>;
  recentSent(chatId: string, limit: number): Promise<SentRecord[]>;
  pause(chatId: string, reason: string, now: number): Promise<boolean>;
  resume(chatId: string): Promise<boolean>;
  paused(chatId: string): Promise<PausedChat | undefined>;
  allPaused(): Promise<PausedChat[]>;
  recordMigration(from: string, to: string): Promise<void>;
  /** Follows migrations to the chat's current id. */
  currentChat(chatId: string): Promise<string>;
  /** Remembers an outbox row that hit a paused destination, so a resume can bring it back whatever became of it. */
  holdRow(deliveryId: string, chatId: string): Promise<void>;
  /** The rows held for a chat, forgetting them. */
  takeHeldRows(chatId: string): Promise<string[]>;
  setSummary(deliveryId: string, summary: string, by: string, now: number): Promise<void>;
  summary(deliveryId: string): Promise<string | undefined>;
  /** The moderator's edit of a held post (summary, key terms). */
  edit(deliveryId: string): Promise<EditedPost | undefined>;
}

/** How long the send journal remembers a post: far longer than any outage a restart recovers from. */
export const JOURNAL_DAYS = 30;

const P = 'telegram';

/** The Telegram state over the Store (see definePlatformState). */
export const createTelegramState = definePlatformState((store, after): TelegramState => {
  const toSent = (e: {
    deliveryId: string;
    destination: string;
    messageId: string;
    title: string;
    sentAt: number;
  }): SentRecord => ({
    deliveryId: e.deliveryId,
    chatId: e.destination,
    messageId: Number(e.messageId),
    title: e.title,
    sentAt: e.sentAt,
  });
  return {
    recordSent: after((r: SentRecord) =>
      store.journalSend(P, {
        deliveryId: r.deliveryId,
        destination: r.chatId,
        messageId: String(r.messageId),
        title: r.title,
        sentAt: r.sentAt,
      }),
    ),
    sentRecord: after(async (id: string) => {
      const e = await store.journaledSend(P, id);
      return e ? toSent(e) : undefined;
    }),
    recentSent: after(async (chatId: string, limit: number) =>
      (await store.recentJournal(P, chatId, limit)).map(toSent),
    ),
    ...pausedDestinations(store, P, 'chatId', after),
    recordMigration: after((from: string, to: string) => store.recordMove(P, from, to)),
    currentChat: after(async (chatId: string) => {
      let id = chatId;
      for (let hops = 0; hops < 8; hops++) {
        const next = await store.movedTo(P, id);
        if (next === undefined) break;
        id = next;
      }
      return id;
    }),
    holdRow: after((id: string, chatId: string) => store.holdForResume(P, id, chatId)),
    takeHeldRows: after((chatId: string) => store.takeHeldForResume(P, chatId)),
    setSummary: after((id: string, summary: string, by: string, now: number) =>
      store.setEditedSummary(id, summary, by, now),
    ),
    summary: after((id: string) => store.editedSummary(id)),
    edit: after((id: string) => store.editedPost(id)),
  };
});

/** Reads the tables of the per-process state file SciPop kept before the state moved into the Store. */
export function readTelegramStateFile(table: TableReader): PlatformStateSnapshot {
  return {
    paused: legacyPaused(table('paused_chats'), 'chat_id'),
    journal: table('sent').map((r) => ({
      deliveryId: String(r.delivery_id),
      destination: String(r.chat_id),
      messageId: String(r.message_id),
      title: String(r.title),
      sentAt: Number(r.sent_at),
    })),
    moves: table('migrations').map((r) => ({ from: String(r.from_chat), to: String(r.to_chat) })),
    held: table('held_rows').map((r) => ({ deliveryId: String(r.delivery_id), destination: String(r.chat_id) })),
    summaries: table('summaries').map((r) => ({
      deliveryId: String(r.delivery_id),
      summary: String(r.summary),
      by: String(r.by),
      at: Number(r.at),
    })),
    queuePosts: [],
    webhooks: [],
  };
}
