import { z } from 'zod';

/** One key term of a post with the glossary's one-line explanation. */
export const MessageTermSchema = z.object({
  /** The glossary entry id. */
  id: z.string(),
  /** The term as the glossary names it (not the inflected form found in the text). */
  term: z.string(),
  /** The entry's short explanation: one or two plain sentences. */
  short: z.string(),
  lang: z.string(),
});
/** See {@link MessageTermSchema}. */
export type MessageTerm = z.infer<typeof MessageTermSchema>;

/**
 * A post before any platform renders it: plain text only (renderers escape it for HTML or
 * Markdown), so the same Message becomes a Telegram HTML post, a Discord embed or a console block.
 */
export const MessageSchema = z.object({
  title: z.string(),
  link: z.string().optional(),
  source: z.object({ title: z.string(), url: z.string().optional() }),
  /** ISO 8601 instant of publication, when the feed gives one. */
  published: z.string().optional(),
  summary: z.string(),
  image: z.string().optional(),
  lang: z.string().optional(),
  /** The best one to three terms found in the title and summary. */
  terms: z.array(MessageTermSchema),
  /** `#astronomy`-style tags from the fields of the source and of the terms (letters, digits, `_`). */
  hashtags: z.array(z.string()),
});
/** See {@link MessageSchema}. */
export type Message = z.infer<typeof MessageSchema>;
