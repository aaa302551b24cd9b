/**
 * What the chat platforms keep in the Store beside the engine's tables: every worker of a network
 * sees the same paused destinations, send journal, chat moves, held rows, edited summaries,
 * approval-queue posts and webhooks. `platform` is the sink's name (`telegram`, `discord`);
 * `destination` is the platform's own id of a chat or channel (not a SciPop channel id).
 */

/** A destination the platform stopped accepting posts for (bot removed, no rights, chat gone). */
/** A moderator's edit of a held post: its summary, and its key terms (JSON as shared/message's MessageTerm; null: unchanged). */
export interface EditedPost {
  summary: string;
  terms: unknown[] | null;
}

export interface PausedDestination {
  destination: string;
  reason: string;
  pausedAt: number;
}

/** A post the platform accepted, recorded right after its answer (so a lost mark does not send it twice). */
export interface JournalEntry {
  deliveryId: string;
  destination: string;
  /** The platform's id of the message it made. */
  messageId: string;
  title: string;
  sentAt: number;
}

/** A held post shown to moderators (Discord's moderators' channel). */
export interface QueuePost {
  deliveryId: string;
  channelId: string;
  messageId: string;
}

/** A webhook the bot made in a channel to post through. */
export interface StoredWebhook {
  id: string;
  token: string;
}

/** Everything of one platform's state, as an old state file held it (for the one-time import). */
export interface PlatformStateSnapshot {
  paused: PausedDestination[];
  journal: JournalEntry[];
  moves: { from: string; to: string }[];
  held: { deliveryId: string; destination: string }[];
  summaries: { deliveryId: string; summary: string; by: string; at: number }[];
  /** Oldest first; `closed` once the post lost its buttons. */
  queuePosts: (QueuePost & { closed: boolean })[];
  webhooks: (StoredWebhook & { channelId: string })[];
}

/** What an import did: `imported`, or why it did not (`already` imported once, or the store `not-empty`). */
export type ImportOutcome = 'imported' | 'already' | 'not-empty';

/** The platform-state part of the Store. All times are epoch milliseconds. */
export interface PlatformStateStore {
  /** Pauses a destination; false if it was paused already (the first reason and time stay). */
  pauseDestination(platform: string, destination: string, reason: string, now: number): Promise<boolean>;
  /** Un-pauses a destination; false if it was not paused. */
  unpauseDestination(platform: string, destination: string): Promise<boolean>;
  pausedDestination(platform: string, destination: string): Promise<PausedDestination | undefined>;
  /** Every paused destination of a platform, the longest paused first. */
  pausedDestinations(platform: string): Promise<PausedDestination[]>;

  /** Records (or re-records) a sent post in the journal. */
  journalSend(platform: string, entry: JournalEntry): Promise<void>;
  journaledSend(platform: string, deliveryId: string): Promise<JournalEntry | undefined>;
  /** The latest posts sent to a destination, newest first. */
  recentJournal(platform: string, destination: string, limit: number): Promise<JournalEntry[]>;
  /** Forgets journal entries sent before `before`; returns how many. */
  pruneJournal(before: number): Promise<number>;

  /** Records that a chat got a new id (a Telegram group that became a supergroup). */
  recordMove(platform: string, from: string, to: string): Promise<void>;
  /** The id a chat moved to, one hop; undefined when it did not move. */
  movedTo(platform: string, from: string): Promise<string | undefined>;

  /** Remembers an outbox row that hit a paused destination, so a resume brings it back. */
  holdForResume(platform: string, deliveryId: string, destination: string): Promise<void>;
  /** The rows held for a destination, forgetting them (once: two workers never both get a row). */
  takeHeldForResume(platform: string, destination: string): Promise<string[]>;

  /** A moderator's summary for a post, used instead of the feed's when it is sent. */
  setEditedSummary(deliveryId: string, summary: string, by: string, now: number): Promise<void>;
  editedSummary(deliveryId: string): Promise<string | undefined>;
  /**
   * A moderator's summary and key terms for a post (the dashboard edits both): used instead of the
   * feed's summary and the glossary's terms when it is sent. A later summary-only edit keeps the terms.
   */
  setEditedPost(deliveryId: string, edit: EditedPost, by: string, now: number): Promise<void>;
  /** The edit of a post; `terms` is null when only the summary was edited. */
  editedPost(deliveryId: string): Promise<EditedPost | undefined>;

  recordQueuePost(platform: string, post: QueuePost, now: number): Promise<void>;
  queuePost(platform: string, deliveryId: string): Promise<QueuePost | undefined>;
  /** Queue posts whose buttons are still live, oldest first. */
  openQueuePosts(platform: string): Promise<QueuePost[]>;
  /** Marks a queue post decided (its buttons are gone); false if it was closed already or unknown. */
  closeQueuePost(platform: string, deliveryId: string): Promise<boolean>;

  /**
   * Keeps a webhook for a channel unless another worker stored one first; returns the one stored
   * (the caller deletes its own when it lost the race, so a channel keeps one SciPop webhook).
   */
  saveWebhook(platform: string, channelId: string, hook: StoredWebhook): Promise<StoredWebhook>;
  webhook(platform: string, channelId: string): Promise<StoredWebhook | undefined>;
  /** Forgets a channel's webhook if it is still `id` (a deleted one); false otherwise. */
  forgetWebhook(platform: string, channelId: string, id: string): Promise<boolean>;

  /**
   * Imports an old state file's contents, in one transaction, only if this platform's state was
   * never imported and the store holds none of it yet; the attempt is recorded either way, so a
   * later start never brings stale state back.
   */
  importPlatformState(
    platform: string,
    snapshot: PlatformStateSnapshot,
    source: string,
    now: number,
  ): Promise<ImportOutcome>;
}
