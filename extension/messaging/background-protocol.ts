import { z } from 'zod';
import { EntryIdSchema, FieldSchema, LangSchema, LevelSchema } from '../../shared/glossary/schema';
import type { EntryView, MatcherPayload } from '../glossary/types';

/** Messages content scripts send to the background. */
export const BackgroundMessageSchema = z.discriminatedUnion('type', [
  /** The serialized matcher, once per page. */
  z.object({ type: z.literal('glossary') }),
  /** One entry for a tooltip, with its related terms' names. */
  z.object({ type: z.literal('entry'), lang: LangSchema, id: EntryIdSchema }),
]);
export type BackgroundMessage = z.infer<typeof BackgroundMessageSchema>;

const EntryInfoSchema = z.object({
  id: z.string(),
  lang: z.string(),
  term: z.string(),
  short: z.string(),
  long: z.string(),
  fields: z.array(FieldSchema),
  level: LevelSchema,
  related: z.array(z.string()),
  source: z.object({ title: z.string(), url: z.string() }).optional(),
});

/** The background's answer to `entry` (null: no such entry). */
export const EntryViewSchema = z.object({
  entry: EntryInfoSchema,
  related: z.array(z.object({ id: z.string(), lang: z.string(), term: z.string() })),
});

/** The background's answer to `glossary`. */
export const MatcherPayloadSchema = z.object({ matcher: z.string().min(1), keys: z.string() });

/** What each message is answered with. */
export interface BackgroundReplies {
  glossary: MatcherPayload;
  entry: EntryView | null;
}

/** The part of `browser.runtime` a content script uses to reach the background. */
export interface RuntimeLike {
  sendMessage(message: unknown): Promise<unknown>;
}

/** Asks the background and validates the answer; undefined when it cannot answer. */
export async function askBackground<M extends BackgroundMessage>(runtime: RuntimeLike, message: M): Promise<BackgroundReplies[M['type']] | undefined> {
  let reply: unknown;
  try {
    reply = await runtime.sendMessage(BackgroundMessageSchema.parse(message));
  } catch {
    return undefined;
  }
  if (message.type === 'entry' && reply == null) return null as BackgroundReplies[M['type']];
  const parsed = (message.type === 'glossary' ? MatcherPayloadSchema : EntryViewSchema).safeParse(reply);
  return parsed.success ? (parsed.data as BackgroundReplies[M['type']]) : undefined;
}

/** Handlers for messages arriving in the background, keyed by type. */
export type BackgroundMessageHandlers = {
  [K in BackgroundMessage['type']]: (message: Extract<BackgroundMessage, { type: K }>) => BackgroundReplies[K] | Promise<BackgroundReplies[K]>;
};

/** The background's `runtime.onMessage` listener: invalid messages are ignored. */
export function createBackgroundListener(handlers: BackgroundMessageHandlers): (message: unknown) => Promise<unknown> | undefined {
  return (message) => {
    const parsed = BackgroundMessageSchema.safeParse(message);
    if (!parsed.success) return undefined;
    const handler = handlers[parsed.data.type] as (m: BackgroundMessage) => unknown;
    return Promise.resolve(handler(parsed.data));
  };
}
