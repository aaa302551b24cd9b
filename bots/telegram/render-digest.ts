import type { DigestLine, Message } from '../../shared/message/message';
import { fallbackNote } from '../../shared/message/words';
import { escapeHtml, TEXT_LIMIT, type RenderedPost } from './render';

const isWeb = (url: string | undefined): url is string => url !== undefined && /^https?:\/\/\S+$/i.test(url);
const attr = (url: string) => escapeHtml(url).replace(/"/g, '&quot;');
const link = (text: string, url: string | undefined) =>
  isWeb(url) ? `<a href="${attr(url)}">${escapeHtml(text)}</a>` : escapeHtml(text);

/** A line's HTML and visible text: `1. Title — NASA, ESA`, every source linked to its own article. */
function storyLine(line: DigestLine, message: Message): { html: string; visible: string } {
  const sources = line.links.map((l) => link(l.source, l.url)).join(', ');
  const head = {
    html: `${line.n}. <b>${link(line.title, line.links[0]?.url)}</b> — ${sources}`,
    visible: `${line.n}. ${line.title} — ${line.links.map((l) => l.source).join(', ')}`,
  };
  if (!line.term) return head;
  const note = fallbackNote(message, line.term);
  const short = note ? `${line.term.short} ${note}` : line.term.short;
  const term = `    ${line.term.term} — ${short}`;
  return {
    html: `${head.html}\n    <i>${escapeHtml(line.term.term)}</i> — ${escapeHtml(short)}`,
    visible: `${head.visible}\n${term}`,
  };
}

/**
 * One part of a digest as Telegram HTML: the heading in bold, who sends it and how many stories,
 * a late notice, then each field's heading and its numbered stories, each with its key term on
 * the line below. `length` counts the visible text, which Telegram's 4,096 limit counts;
 * shared/digest's digestMessages cuts the parts so that it stays within {@link TEXT_LIMIT}.
 */
export function renderTelegramDigest(message: Message): RenderedPost {
  const digest = message.digest;
  const blocks: { html: string; visible: string }[] = [];
  const meta = [message.source.title, message.summary].filter(Boolean).join(' · ');
  blocks.push({
    html: `<b>${escapeHtml(message.title)}</b>\n<i>${escapeHtml(meta)}</i>`,
    visible: `${message.title}\n${meta}`,
  });
  if (digest?.late) blocks.push({ html: `<i>${escapeHtml(digest.late)}</i>`, visible: digest.late });
  for (const section of digest?.sections ?? []) {
    const lines = section.lines.map((line) => storyLine(line, message));
    blocks.push({
      html: [`<b>${escapeHtml(section.heading)}</b>`, ...lines.map((l) => l.html)].join('\n'),
      visible: [section.heading, ...lines.map((l) => l.visible)].join('\n'),
    });
  }
  const visible = blocks.map((b) => b.visible).join('\n\n');
  return { html: blocks.map((b) => b.html).join('\n\n'), length: visible.length, shortened: false };
}

/** Whether a digest part fits one Telegram message (for shared/digest's digestMessages). */
export const fitsTelegram = (message: Message): boolean => renderTelegramDigest(message).length <= TEXT_LIMIT;
