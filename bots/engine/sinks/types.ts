import type { Message } from '../../../shared/message/message';

/** Where a sink sends: one configured channel. */
export interface SinkTarget {
  channelId: string;
  /** Platform address: Telegram chat id, Discord channel id, a console label. */
  target: string;
  title: string;
}

/** Context of one send. */
export interface SendMeta {
  /** The outbox row id: stable across retries, usable as an idempotency key (Discord `nonce`). */
  deliveryId: string;
  /**
   * True when an earlier run claimed this row and stopped before recording the outcome: it may or
   * may not have reached the platform. An idempotent sink dedups with deliveryId.
   */
  inDoubt: boolean;
}

/** What the platform said. */
export interface SendResult {
  /** The platform's message id, stored with the row (edits, deletes, audits). */
  remoteId: string | null;
}

/**
 * A destination platform. Telegram and Discord implement this in their own folders; the engine
 * knows nothing else about them. `send` throws a {@link SinkError} for expected failures.
 */
export interface Sink {
  readonly name: string;
  /** Whether resending with the same deliveryId can never duplicate a post. */
  readonly idempotent: boolean;
  send(target: SinkTarget, message: Message, meta: SendMeta): Promise<SendResult>;
  /** Tells a channel's moderators something (a source paused after failures). */
  notify(target: SinkTarget, text: string): Promise<void>;
  /** Whether one part of a digest fits one message here (shared/digest cuts parts with it); default: 4,096 characters of plain text. */
  fitsDigest?(part: Message): boolean;
  close?(): Promise<void>;
}

/** A failed send: `retryable` with an optional wait (a 429's retry_after), or permanent (chat gone). */
export class SinkError extends Error {
  override readonly name = 'SinkError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
