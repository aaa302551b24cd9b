import type { Message } from '../../shared/message/message';
import { fallbackNote, postWord } from '../../shared/message/words';

/** Telegram's limits on the visible text of a message and of a media caption. */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

/** Escapes feed text for Telegram HTML: `&`, `<` and `>` (and `"` inside attributes), nothing else. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const escapeAttr = (text: string) => escapeHtml(text).replace(/"/g, '&quot;');

/** A piece of a post: its HTML and the text a reader sees (what Telegram's limits count). */
interface Piece {
  html: string;
  visible: string;
}

const plain = (text: string): Piece => ({ html: escapeHtml(text), visible: text });
const wrap = (tag: string, inner: Piece, attrs = ''): Piece => ({
  html: `<${tag}${attrs}>${inner.html}</${tag}>`,
  visible: inner.visible,
});
const join = (pieces: Piece[], sep = ''): Piece => ({
  html: pieces.map((p) => p.html).join(escapeHtml(sep)),
  visible: pieces.map((p) => p.visible).join(sep),
});

/** Cuts plain text to at most `max` UTF-16 units at a word boundary, with an ellipsis; never splits a surrogate pair. */
export function shortenText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '';
  let cut = max - 1;
  if (/[\uDC00-\uDFFF]/.test(text[cut] ?? '')) cut--;
  const head = text.slice(0, cut);
  const space = head.search(/\s\S*$/);
  // Break at a space when one is near the end; CJK text has none, so cut at the character.
  const body = space > cut * 0.6 ? head.slice(0, space) : head;
  return `${body.replace(/[\s,;:.–—-]+$/u, '')}…`;
}

function when(iso: string | undefined): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** How a post was rendered, for the sink and its tests. */
export interface RenderedPost {
  html: string;
  /** Visible length as the limit counts it (UTF-16 units, never less than what Telegram counts). */
  length: number;
  /** Whether the summary was shortened (or dropped) to fit. */
  shortened: boolean;
}

/**
 * Renders a post to Telegram HTML: the title in bold linked to the article, source and time, the
 * summary, "Key terms" with one-line explanations, and hashtags. Feed text is escaped once. To fit
 * `limit` the summary is shortened first (as plain text, before escaping, so no tag or entity is
 * ever cut), then the terms and hashtags go; the title and its link always stay.
 */
export function renderTelegramPost(message: Message, limit = TEXT_LIMIT): RenderedPost {
  // Only web links become the title's link; any other scheme is shown as text, never dropped.
  const href = message.link && /^https?:\/\//i.test(message.link) ? message.link : undefined;
  const odd = message.link && !href ? message.link : undefined;
  const titleText = plain(message.title);
  const title = wrap('b', href ? wrap('a', titleText, ` href="${escapeAttr(href)}"`) : titleText);
  const meta = wrap('i', plain([message.source.title, when(message.published), odd].filter(Boolean).join(' · ')));
  const terms = message.terms.length
    ? join(
        [
          wrap('b', plain(postWord(message, 'post.keyTerms'))),
          ...message.terms.map((t) => {
            const note = fallbackNote(message, t);
            return join([plain('• '), wrap('b', plain(t.term)), plain(` — ${t.short}${note ? ` ${note}` : ''}`)]);
          }),
        ],
        '\n',
      )
    : null;
  const tags = message.hashtags.length ? plain(message.hashtags.join(' ')) : null;

  const build = (summary: string | null, withTerms: boolean, withTags: boolean) => {
    const blocks = [join([title, meta], '\n')];
    if (summary) blocks.push(plain(summary));
    if (withTerms && terms) blocks.push(terms);
    if (withTags && tags) blocks.push(tags);
    return join(blocks, '\n\n');
  };
  const summary = message.summary.trim();
  const full = build(summary || null, true, true);
  if (full.visible.length <= limit) return { html: full.html, length: full.visible.length, shortened: false };
  for (const [withTerms, withTags] of [
    [true, true],
    [true, false],
    [false, false],
  ] as const) {
    const frame = build(null, withTerms, withTags).visible.length;
    const room = limit - frame - 2; // the blank line before the summary
    if (room >= 40 || (room >= 0 && !withTerms)) {
      const cut = shortenText(summary, room);
      const post = build(cut || null, withTerms, withTags);
      if (post.visible.length <= limit) return { html: post.html, length: post.visible.length, shortened: true };
    }
  }
  // Only a title too long for the limit is left: shorten it too; the link stays on it.
  const bare = build(null, false, false);
  const over = bare.visible.length - limit;
  const shortTitle = plain(shortenText(message.title, Math.max(1, message.title.length - over)));
  const head = wrap('b', href ? wrap('a', shortTitle, ` href="${escapeAttr(href)}"`) : shortTitle);
  const post = join([head, meta], '\n');
  return { html: post.html, length: post.visible.length, shortened: true };
}

/**
 * The caption a post goes out with as a photo: when it has an image and the caption keeps enough
 * of the summary; null when it goes out as a text post (a caption that lost its summary reads
 * worse than a text post with the image as its preview).
 */
export function photoCaption(message: Message): RenderedPost | null {
  if (!message.image) return null;
  const caption = renderTelegramPost(message, CAPTION_LIMIT);
  return !caption.shortened || message.summary.length < 200 ? caption : null;
}
