import { z } from 'zod';
import { ChatLangSchema } from '../i18n/lang';

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

/** One source carrying a digest story, linked to its own article. */
export const DigestLinkSchema = z.object({ source: z.string(), url: z.string().optional() });
/** See {@link DigestLinkSchema}. */
export type DigestLink = z.infer<typeof DigestLinkSchema>;

/** One story of a digest: its number, title, every source that carried it, and its key term. */
export const DigestLineSchema = z.object({
  /** 1-based, counted across the whole digest (parts continue the numbering). */
  n: z.number().int().positive(),
  title: z.string(),
  /** The first link is the title's; each source's name links to its own article. */
  links: z.array(DigestLinkSchema).min(1),
  /** The one term the line explains (each term is explained once per digest). */
  term: MessageTermSchema.optional(),
});
/** See {@link DigestLineSchema}. */
export type DigestLine = z.infer<typeof DigestLineSchema>;

/** The stories of one field (`astronomy`), under its heading. */
export const DigestSectionSchema = z.object({
  field: z.string(),
  heading: z.string(),
  lines: z.array(DigestLineSchema),
});
/** See {@link DigestSectionSchema}. */
export type DigestSection = z.infer<typeof DigestSectionSchema>;

/** What makes a Message one part of a digest rather than one post (see shared/digest). */
export const DigestPartSchema = z.object({
  /** 1-based part number and how many parts the digest has: parts are sent in this order. */
  part: z.number().int().positive(),
  parts: z.number().int().positive(),
  sections: z.array(DigestSectionSchema),
  /** Said on the first part when the digest goes out well after its time. */
  late: z.string().optional(),
  /** When it was due, as readers of the channel say it (`08:00 Asia/Shanghai`): a late notice names it. */
  due: z.string().optional(),
});
/** See {@link DigestPartSchema}. */
export type DigestPart = z.infer<typeof DigestPartSchema>;

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
  /**
   * The language of the channel it goes to, when not English: its fixed words ("Key terms",
   * digest headings) are rendered in it, and its terms explained from that language's entries.
   */
  chatLang: ChatLangSchema.optional(),
  /** Set on the parts of a digest: `title` is the digest's heading and the sections carry the stories. */
  digest: DigestPartSchema.optional(),
});
/** See {@link MessageSchema}. */
export type Message = z.infer<typeof MessageSchema>;
