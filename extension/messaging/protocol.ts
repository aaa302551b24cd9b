import { z } from 'zod';
import { MAX_EXPLAIN_TEXT } from './limits';

// The background's and the popup's side (with zod); the content script's side, without zod, is
// content-side.ts.

/** Messages the background and the popup send to a page's content script. */
export const ContentMessageSchema = z.discriminatedUnion('type', [
  /** Explain the term at the selection or caret; `text` is the selected text when the menu knows it. */
  z.object({ type: z.literal('explain'), text: z.string().max(MAX_EXPLAIN_TEXT).optional() }),
  /** List the terms found on the page, for the popup. */
  z.object({ type: z.literal('page-glossary') }),
]);
export type ContentMessage = z.infer<typeof ContentMessageSchema>;

/** One term found on a page: which entry, and how many times it is highlighted. */
export const PageTermSchema = z.object({ id: z.string(), lang: z.string(), count: z.number().int().min(0) });
export type PageTerm = z.infer<typeof PageTermSchema>;

/** The content script's answer to `page-glossary`: the terms in order of first appearance. */
export const PageGlossarySchema = z.object({
  host: z.string(),
  active: z.boolean(),
  terms: z.array(PageTermSchema),
});
export type PageGlossary = z.infer<typeof PageGlossarySchema>;

/** The content script's answer to `explain`: whether a term was found and shown. */
export const ExplainResultSchema = z.object({ shown: z.boolean(), id: z.string().optional() });
export type ExplainResult = z.infer<typeof ExplainResultSchema>;

/** What each message is answered with. */
export interface ContentReplies {
  explain: ExplainResult;
  'page-glossary': PageGlossary;
}

/** The part of `browser.tabs` used to reach a content script. */
export interface TabsLike {
  sendMessage(tabId: number, message: unknown): Promise<unknown>;
}

/**
 * Sends a message to the content script of a tab and validates the reply. Resolves to undefined
 * when the tab has no content script (a browser page, the store, a tab opened before install).
 */
export async function sendToContent<M extends ContentMessage>(
  tabs: TabsLike,
  tabId: number,
  message: M,
): Promise<ContentReplies[M['type']] | undefined> {
  let reply: unknown;
  try {
    reply = await tabs.sendMessage(tabId, ContentMessageSchema.parse(message));
  } catch {
    return undefined;
  }
  const schema = message.type === 'explain' ? ExplainResultSchema : PageGlossarySchema;
  const parsed = schema.safeParse(reply);
  return parsed.success ? (parsed.data as ContentReplies[M['type']]) : undefined;
}
