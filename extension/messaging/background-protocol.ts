import { z } from 'zod';
import { EntryIdSchema, LangSchema } from '../../shared/glossary/schema';
import type { EntryView, MatcherPayload } from '../glossary/types';
import type { Settings } from '../settings/schema';
import { MAX_ASK_CHARS } from './content-side';

// The background's side, with zod: whatever a page sends is checked here. The content script
// sends and reads these messages with content-side.ts, which carries no zod.

/** Messages content scripts send to the background. */
export const BackgroundMessageSchema = z.discriminatedUnion('type', [
  /** The serialized matchers (bundled and imported), once per page and when the imported packs change. */
  z.object({ type: z.literal('glossary') }),
  /** One entry for a tooltip, with its related terms' names. */
  z.object({ type: z.literal('entry'), lang: LangSchema, id: EntryIdSchema }),
  /** The reader's settings, migrated and validated (once per page, and when they change). */
  z.object({ type: z.literal('settings') }),
  /** "I know this": add the entry id to the known terms. */
  z.object({ type: z.literal('know'), id: EntryIdSchema }),
  /** Check a community-glossary subscription now (just subscribed, or "Check now" on the options page). */
  z.object({ type: z.literal('check-subscription'), url: z.string().max(2000) }),
  /** Whether the tooltip may offer "Ask the community to explain this" (a subscription has an ask path). */
  z.object({ type: z.literal('ask-offer') }),
  /**
   * "Ask the community": the selected words and their language, nothing of the page. `consent` is
   * true when the reader has just said yes to sending.
   */
  z.object({
    type: z.literal('ask-community'),
    text: z.string().trim().min(1).max(MAX_ASK_CHARS),
    lang: LangSchema,
    consent: z.boolean().optional(),
  }),
]);
export type BackgroundMessage = z.infer<typeof BackgroundMessageSchema>;

/** What each message is answered with. */
export interface BackgroundReplies {
  glossary: MatcherPayload;
  /** null: no such entry. */
  entry: EntryView | null;
  settings: Settings;
  /** The settings with the term added. */
  know: Settings;
  /** What the check did; `error` is the reason shown when it failed. */
  'check-subscription': { ok: boolean; error?: string };
  /** The community to ask, and whether the reader already said yes; null: nobody to ask. */
  'ask-offer': AskOffer | null;
  /** Whether the request was sent, to whom, or why not. */
  'ask-community': { sent: boolean; community?: string; error?: string };
}

/** A community the tooltip may offer to ask, and whether the reader already agreed to send. */
export interface AskOffer {
  community: string;
  consent: boolean;
}

/** Handlers for messages arriving in the background, keyed by type. */
export type BackgroundMessageHandlers = {
  [K in BackgroundMessage['type']]: (
    message: Extract<BackgroundMessage, { type: K }>,
  ) => BackgroundReplies[K] | Promise<BackgroundReplies[K]>;
};

/** The background's `runtime.onMessage` listener: invalid messages are ignored. */
export function createBackgroundListener(
  handlers: BackgroundMessageHandlers,
): (message: unknown) => Promise<unknown> | undefined {
  return (message) => {
    const parsed = BackgroundMessageSchema.safeParse(message);
    if (!parsed.success) return undefined;
    const handler = handlers[parsed.data.type] as (m: BackgroundMessage) => unknown;
    return Promise.resolve(handler(parsed.data));
  };
}
