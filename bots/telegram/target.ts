/** A Telegram destination: a chat (numeric id or `@channelname`) and, in a forum, a topic. */
export interface TelegramTarget {
  chatId: string;
  threadId?: number;
}

/**
 * Reads a channel's `target`: `-1001234567890` (a group or channel), `@channelname`, or
 * `-1001234567890/42` for topic 42 of a forum supergroup (the shape of a t.me/c/… topic link).
 */
export function parseTarget(target: string): TelegramTarget | null {
  const m = /^\s*(-?\d+|@[A-Za-z]\w{3,31})(?:\/(\d+))?\s*$/.exec(target);
  if (!m) return null;
  return m[2] ? { chatId: m[1]!, threadId: Number(m[2]) } : { chatId: m[1]! };
}

/** Writes a target back in the form {@link parseTarget} reads. */
export function formatTarget(t: TelegramTarget): string {
  return t.threadId === undefined ? t.chatId : `${t.chatId}/${t.threadId}`;
}

/** The chat id as the Bot API wants it: a number for numeric ids, the `@name` string otherwise. */
export const apiChatId = (chatId: string): number | string => (/^-?\d+$/.test(chatId) ? Number(chatId) : chatId);
