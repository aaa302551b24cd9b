import type { ChatLang } from '../i18n/lang';
import type { Message } from './message';
import { pickTerms, type RankedTerm, type TermGlossary } from './terms';

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
  /**
   * The channel's language. `zh-Hans`: the terms are explained from the Chinese entries, the
   * English ones kept only where there is no Chinese entry (the renderers say so), and the post's
   * fixed words are Chinese. English (or absent): the post is as it always was.
   */
  lang?: ChatLang;
}

const primary = (lang: string) => lang.toLowerCase().split('-')[0] ?? '';

/** The terms in the channel's language where the glossary has an entry in it; the others as found. */
function inLanguage(glossary: TermGlossary, picked: RankedTerm[], lang: ChatLang): RankedTerm[] {
  const own = glossary.languages.find((l) => primary(l) === primary(lang));
  if (!own) return picked;
  return picked.map((t) => {
    const info = t.lang === own ? t.info : glossary.entry(t.id, own);
    return info ? { ...t, lang: own, info } : t;
  });
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
  const chatLang = options.lang && options.lang !== 'en' ? options.lang : undefined;
  // A Chinese channel gets the terms with a Chinese entry first; the others fill what room is left.
  const wanted = chatLang ? maxTerms * 4 : maxTerms;
  const found = options.glossary ? pickTerms(options.glossary, item.title, item.summary, item.lang, wanted) : [];
  const picked =
    options.glossary && chatLang
      ? inLanguage(options.glossary, found, chatLang)
          .map((t, i) => ({ t, i, fallback: primary(t.lang) === primary(chatLang) ? 0 : 1 }))
          .sort((x, y) => x.fallback - y.fallback || x.i - y.i)
          .slice(0, maxTerms)
          .map((x) => x.t)
      : found;
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
  if (chatLang) message.chatLang = chatLang;
  return message;
}
