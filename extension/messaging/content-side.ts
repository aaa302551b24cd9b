import type { BackgroundMessage, BackgroundReplies } from './background-protocol';
import type { ContentMessage, ContentReplies } from './protocol';

// The content script's half of the messaging, free of zod: building zod's schemas when the script
// is injected cost every page 28–106 ms of main thread (issue #5). Only this extension can reach
// its content scripts (runtime.onMessage hears our background and pages, never a web page or
// another extension), and the background validates everything a page asks with zod, so a few
// hand-written checks are enough here. protocol.test.ts holds them to the schemas.

/** The longest selection an `explain` message may carry (the same bound as the schema). */
export const MAX_EXPLAIN_TEXT = 2000;

/** The longest selection "Ask the community" sends: a few words, not a passage. */
export const MAX_ASK_CHARS = 80;

/** The most words "Ask the community" sends. */
export const MAX_ASK_WORDS = 6;

/** A message for the content script, or undefined when it is not one (checked without zod). */
export function readContentMessage(message: unknown): ContentMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  if (m.type === 'page-glossary') return { type: 'page-glossary' };
  if (m.type !== 'explain') return undefined;
  if (m.text === undefined) return { type: 'explain' };
  return typeof m.text === 'string' && m.text.length <= MAX_EXPLAIN_TEXT
    ? { type: 'explain', text: m.text }
    : undefined;
}

/** A handler for messages arriving in a content script, keyed by type. */
export type ContentHandlers = {
  [K in ContentMessage['type']]: (
    message: Extract<ContentMessage, { type: K }>,
  ) => ContentReplies[K] | Promise<ContentReplies[K]>;
};

/** The `runtime.onMessage` listener of a content script: what is not a message is ignored. */
export function createContentListener(handlers: ContentHandlers): (message: unknown) => Promise<unknown> | undefined {
  return (message) => {
    const m = readContentMessage(message);
    if (!m) return undefined;
    const handler = handlers[m.type] as (msg: ContentMessage) => unknown;
    return Promise.resolve(handler(m));
  };
}

/** The part of `browser.runtime` a content script uses to reach the background. */
export interface RuntimeLike {
  sendMessage(message: unknown): Promise<unknown>;
}

/**
 * Asks the background; undefined when it cannot answer (a worker still starting, an extension
 * reloaded under the page). The answer is our own background's, validated there, so it is trusted.
 */
export async function askBackground<M extends BackgroundMessage>(
  runtime: RuntimeLike,
  message: M,
): Promise<BackgroundReplies[M['type']] | undefined> {
  try {
    const reply = await runtime.sendMessage(message);
    // `entry` answers null for "no such entry" (which may arrive as undefined); for the others,
    // nothing means a worker that had no listener yet.
    if (reply == null) return (message.type === 'entry' ? null : undefined) as BackgroundReplies[M['type']] | undefined;
    return reply as BackgroundReplies[M['type']];
  } catch {
    return undefined;
  }
}
