import type { Message } from './message';
import { pickTerms, type TermGlossary } from './terms';

/** The item fields a post uses (a structural subset of shared/feed's Item). */
export interface MessageItem {
  title: string;
  link?: string;
  published?: string;
  summary: string;
  image?: string;
  lang?: string;
}

/** The source fields a post uses. */
export interface MessageSource {
  title: string;
  siteUrl?: string | null;
  tags: readonly string[];
}

/** Options of {@link buildMessage}. */
export interface BuildMessageOptions {
  /** The glossary; without one a post carries no terms. */
  glossary?: TermGlossary;
  /** How many terms to explain (1–3). Default 3. */
  maxTerms?: number;
  /** How many hashtags. Default 4. */
  maxHashtags?: number;
}

/** `#earth_climate` from `earth-climate`: letters and digits of any script, `_` for the rest. */
export function toHashtag(field: string): string | null {
  const body = field
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  return body === '' || /^\d+$/.test(body) ? null : `#${body}`;
}

/** Builds the platform-neutral post for one item: its text, its key terms explained, its hashtags. */
export function buildMessage(item: MessageItem, source: MessageSource, options: BuildMessageOptions = {}): Message {
  const maxTerms = Math.min(3, Math.max(0, options.maxTerms ?? 3));
  const picked = options.glossary ? pickTerms(options.glossary, item.title, item.summary, item.lang, maxTerms) : [];
  const terms = picked.map((t) => ({ id: t.id, term: t.info.term, short: t.info.short, lang: t.lang }));
  const hashtags: string[] = [];
  for (const field of [...source.tags, ...picked.flatMap((t) => t.info.fields)]) {
    const tag = toHashtag(field);
    if (tag && !hashtags.includes(tag)) hashtags.push(tag);
  }
  const message: Message = {
    title: item.title.trim() || '(untitled)',
    source: { title: source.title, ...(source.siteUrl ? { url: source.siteUrl } : {}) },
    summary: item.summary,
    terms,
    hashtags: hashtags.slice(0, options.maxHashtags ?? 4),
  };
  if (item.link) message.link = item.link;
  if (item.published) message.published = item.published;
  if (item.image) message.image = item.image;
  if (item.lang) message.lang = item.lang;
  return message;
}
