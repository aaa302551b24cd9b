import { z } from 'zod';

/**
 * One feed entry, normalized from RSS 0.9x/1.0/2.0, Atom or JSON Feed. Everything a post needs,
 * already safe to show as plain text (no HTML survives into `title` or `summary`).
 */
export const ItemSchema = z.object({
  /** Stable identity within a source: `g:` guid, `l:` normalized link or `h:` hash (see identity.ts). */
  key: z.string().min(3),
  /** The feed's own id for the item (RSS guid, Atom id, JSON Feed id), when it has one. */
  guid: z.string().optional(),
  /** Plain text, entities decoded, whitespace folded; may be empty when the feed gives none. */
  title: z.string(),
  /** Absolute http(s) URL, resolved against xml:base or the feed URL. */
  link: z.string().optional(),
  /** ISO 8601 instant (`Date#toISOString`). */
  published: z.string().optional(),
  /** Plain text, cut at a word boundary (see SUMMARY_MAX_CHARS). */
  summary: z.string(),
  author: z.string().optional(),
  /** Absolute URL of an image: enclosure, media:content / media:thumbnail, or the first <img>. */
  image: z.string().optional(),
  categories: z.array(z.string()),
  /** BCP 47-ish language tag from the item or the feed (`en`, `zh-cn`), lower-cased. */
  lang: z.string().optional(),
});
/** A normalized feed item, see {@link ItemSchema}. */
export type Item = z.infer<typeof ItemSchema>;

/** The syntaxes a feed can come in. */
export const FeedFormatSchema = z.enum(['rss', 'rdf', 'atom', 'json']);
/** One of {@link FeedFormatSchema}. */
export type FeedFormat = z.infer<typeof FeedFormatSchema>;

/** A whole parsed feed: its own metadata and its items in document order. */
export const FeedSchema = z.object({
  format: FeedFormatSchema,
  title: z.string(),
  /** The site the feed belongs to (absolute), not the feed's own URL. */
  link: z.string().optional(),
  lang: z.string().optional(),
  /** RSS `<ttl>` (or `sy:updatePeriod`) in minutes, when the feed gives one. */
  ttl: z.number().int().positive().optional(),
  items: z.array(ItemSchema),
});
/** A parsed and normalized feed, see {@link FeedSchema}. */
export type ParsedFeed = z.infer<typeof FeedSchema>;

/** The result of parsing: the feed, or one clear line saying why the input is not one. */
export type FeedResult = { ok: true; value: ParsedFeed } | { ok: false; error: string };

/**
 * A format-neutral entry as a syntax reader hands it to normalization: raw strings straight from
 * the document (HTML not yet stripped, URLs not yet resolved).
 */
export interface RawItem {
  guid?: string;
  title?: string;
  /**
   * Whether `title` is HTML: true for Atom type="html"/"xhtml", false for Atom type="text" and
   * JSON Feed; unset for RSS, where titles are often escaped HTML and a heuristic decides.
   */
  titleIsHtml?: boolean;
  link?: string;
  /** Date text as written in the feed (RFC 822, ISO 8601, …). */
  date?: string;
  /** The HTML body (content:encoded, Atom content, JSON Feed content_html). */
  html?: string;
  /** A short HTML summary (RSS description, Atom summary): preferred over `html` for the summary text. */
  summaryHtml?: string;
  /** A plain-text summary when the feed has one (JSON Feed summary/content_text). */
  text?: string;
  author?: string;
  /** Image candidates in preference order (enclosures, media:content, media:thumbnail). */
  images?: string[];
  categories?: string[];
  lang?: string;
  /** xml:base in force for this entry (already combined with the feed's). */
  base?: string;
}

/** A format-neutral feed, the input of `normalizeFeed`. */
export interface RawFeed {
  format: FeedFormat;
  title?: string;
  /** As {@link RawItem.titleIsHtml}. */
  titleIsHtml?: boolean;
  link?: string;
  lang?: string;
  /** xml:base of the root element, if any. */
  base?: string;
  ttlMinutes?: number;
  items: RawItem[];
}
