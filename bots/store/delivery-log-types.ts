/**
 * The delivery log: for every item and subscribed channel, what became of it. An outbox row says
 * it (posted, waiting, held, rejected, failed, kept for a digest), or an item verdict says why no
 * post was made (a rule filtered it, a first fetch skipped it).
 */
export type LogOutcome =
  'held' | 'pending' | 'sending' | 'sent' | 'rejected' | 'failed' | 'digest' | 'filtered' | 'skipped';

/** Every outcome the log knows, for filters. */
export const LOG_OUTCOMES: readonly LogOutcome[] = [
  'sent',
  'pending',
  'sending',
  'held',
  'rejected',
  'failed',
  'digest',
  'filtered',
  'skipped',
];

/** One line of the log. */
export interface DeliveryLogEntry {
  /** The outbox row's id, or `itemId/channelId` for a verdict. */
  id: string;
  itemId: string;
  sourceId: string;
  channelId: string;
  /** The item's title and link as its feed gave them (feed text: escape before showing). */
  title: string;
  link: string | null;
  outcome: LogOutcome;
  /** Filtered or skipped: why; failed or waiting to retry: the platform's last error; in doubt: the note. */
  reason: string | null;
  /** Why the post was last put off without an attempt (a posting cap), if it was. */
  note: string | null;
  /** Who approved or rejected it (`dashboard:telegram:42`, a platform user). */
  decidedBy: string | null;
  /** The platform's id of the message (`chat:message`), once sent. */
  remoteId: string | null;
  attempts: number;
  /** When the engine decided (the item was fetched). */
  createdAt: number;
  sentAt: number | null;
}

/** Which lines to read: newest first, `limit` from `offset`. */
export interface DeliveryLogQuery {
  /** The channels whose lines to read; null for every channel (operators). */
  channelIds: readonly string[] | null;
  outcomes?: readonly LogOutcome[];
  /** Words the item's title or link contains (case-insensitive). */
  search?: string;
  offset: number;
  limit: number;
}

/** The delivery log part of the Store. */
export interface DeliveryLogStore {
  /** Lines of the delivery log, newest first (ties by id). */
  deliveryLog(query: DeliveryLogQuery): Promise<DeliveryLogEntry[]>;
}
