import type { APIEmbed } from 'discord.js';
import { fallbackNote } from '../../shared/message/words';
import type { Message } from '../../shared/message/message';

/** Discord's embed limits (characters), as its API documents and enforces them. */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  total: 6000,
} as const;

/** SciPop's accent colour on embeds. */
export const EMBED_COLOR = 0x2f80ed;

/** No role, user or @everyone ping can come from a post: Discord parses nothing. */
export const NO_MENTIONS = { parse: [] as never[], users: [] as string[], roles: [] as string[], replied_user: false };

/**
 * Escapes feed text for the parts of an embed Discord renders as markdown: every markdown
 * character gets a backslash (Discord shows the character itself), line-start headings, quotes
 * and lists are defused, and `@everyone` / `@here` get a zero-width space so that even text
 * copied into a message cannot ping.
 */
export function escapeDiscord(text: string): string {
  return text
    .replace(/[\\*_~`|[\]<>()]/g, '\\$&')
    .replace(
      /^(\s*)([#>-]|\d+\.)/gm,
      (_m, space: string, mark: string) => `${space}${mark.endsWith('.') ? `${mark.slice(0, -1)}\\.` : `\\${mark}`}`,
    )
    .replace(/@(everyone|here)/gi, '@\u200b$1');
}

/** Plain text for the embed parts without markdown (author, footer): only the ping defused. */
const defuse = (text: string) => text.replace(/@(everyone|here)/gi, '@\u200b$1');

/**
 * The longest escaped form of `raw` within `max` characters: the whole text, or a prefix cut at a
 * word boundary when one is near, with an ellipsis. Cutting the raw text (not the escaped one)
 * never leaves half an escape behind.
 */
export function fitText(raw: string, max: number, escape: (s: string) => string = escapeDiscord): string {
  const whole = escape(raw);
  if (whole.length <= max) return whole;
  if (max <= 1) return max === 1 ? '…' : '';
  const chars = [...raw];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escape(chars.slice(0, mid).join('').trimEnd()).length + 1 <= max) lo = mid;
    else hi = mid - 1;
  }
  let cut = chars.slice(0, lo).join('');
  const space = cut.search(/\s\S*$/);
  if (space > cut.length * 0.8) cut = cut.slice(0, space);
  return `${escape(cut.trimEnd())}…`;
}

const httpUrl = (url: string | undefined) => (url && /^https?:\/\/[^\s]+$/i.test(url) ? url : undefined);

/** Options of {@link renderEmbed}. */
export interface RenderOptions {
  /** The source's icon, when known. */
  icon?: string;
  /** A line added to the footer (the queue's "waiting for approval"). */
  note?: string;
}

/** The embed and whether any text had to be shortened. */
export interface RenderedEmbed {
  embed: APIEmbed;
  shortened: boolean;
}

/** Characters of an embed that count towards Discord's 6,000 total. */
export function embedSize(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/**
 * Renders a post as one embed: title linked to the article, the source (with its icon) as author,
 * the time, the summary, the image, a field per key term and the hashtags in the footer. Every
 * limit holds; when the total is over 6,000 the summary is shortened first, then the explanations.
 */
export function renderEmbed(message: Message, options: RenderOptions = {}): RenderedEmbed {
  let shortened = false;
  const fit = (raw: string, max: number, escape?: (s: string) => string) => {
    const text = fitText(raw, max, escape);
    if (text.length < (escape ?? escapeDiscord)(raw).length) shortened = true;
    return text;
  };
  const embed: APIEmbed = { color: EMBED_COLOR, title: fit(message.title, EMBED_LIMITS.title) };
  const link = httpUrl(message.link);
  if (link) embed.url = link;
  const sourceUrl = httpUrl(message.source.url);
  embed.author = {
    name: fit(message.source.title || 'SciPop', EMBED_LIMITS.authorName, defuse),
    ...(sourceUrl ? { url: sourceUrl } : {}),
    ...(httpUrl(options.icon) ? { icon_url: options.icon! } : {}),
  };
  if (message.published && !Number.isNaN(Date.parse(message.published)))
    embed.timestamp = new Date(message.published).toISOString();
  const image = httpUrl(message.image);
  if (image) embed.image = { url: image };
  const footer = [message.hashtags.join(' '), options.note].filter(Boolean).join(' · ');
  if (footer) embed.footer = { text: fit(footer, EMBED_LIMITS.footer, defuse) };
  const terms = message.terms.slice(0, EMBED_LIMITS.fields);
  if (terms.length < message.terms.length) shortened = true;
  const fieldText = terms.map((t) => {
    const note = fallbackNote(message, t);
    return { name: t.term, value: note ? `${t.short}\n${note}` : t.short };
  });
  let valueMax: number = EMBED_LIMITS.fieldValue;
  for (;;) {
    embed.fields = fieldText.map((f) => ({
      name: fit(f.name, Math.min(EMBED_LIMITS.fieldName, valueMax)),
      value: fit(f.value || '—', valueMax),
      inline: false,
    }));
    const rest = EMBED_LIMITS.total - embedSize({ ...embed, description: '' });
    // Summary first: it gets what is left, down to nothing, before an explanation is cut.
    if (rest >= 0) {
      if (message.summary.trim()) {
        const description = fit(message.summary, Math.min(EMBED_LIMITS.description, rest));
        if (description) embed.description = description;
        else shortened = true;
      }
      break;
    }
    shortened = true;
    valueMax = Math.floor(valueMax / 2);
    if (valueMax < 16) {
      embed.fields = embed.fields.slice(0, -1);
      fieldText.pop();
      valueMax = EMBED_LIMITS.fieldValue;
    }
  }
  if (embed.fields.length === 0) delete embed.fields;
  return { embed, shortened };
}

/** A forum post's name: the title in at most 100 characters (plain text, no markdown there). */
export function threadName(message: Message): string {
  return fitText(message.title.replace(/\s+/g, ' ').trim() || 'SciPop', 100, defuse);
}
