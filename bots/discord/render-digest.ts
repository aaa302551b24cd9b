import type { APIEmbed } from 'discord.js';
import { fallbackNote } from '../../shared/message/words';
import type { DigestLine, Message } from '../../shared/message/message';
import { EMBED_COLOR, EMBED_LIMITS, embedSize, escapeDiscord } from './render';

const defuse = (text: string) => text.replace(/@(everyone|here)/gi, '@\u200b$1');

/** A URL safe inside a markdown link: web links only, with the characters that would end the link encoded. */
function linkTarget(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\/\S+$/i.test(url)) return undefined;
  return url.replace(/[()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const mdLink = (text: string, url: string | undefined) => {
  const target = linkTarget(url);
  return target ? `[${escapeDiscord(text)}](${target})` : escapeDiscord(text);
};

/** `**1.** [Title](url) — [NASA](url), [ESA](url)` and the key term on the next line. */
function storyLine(line: DigestLine, message: Message): string {
  const head = `**${line.n}.** ${mdLink(line.title, line.links[0]?.url)} — ${line.links
    .map((l) => mdLink(l.source, l.url))
    .join(', ')}`;
  if (!line.term) return head;
  const note = fallbackNote(message, line.term);
  return `${head}\n*${escapeDiscord(line.term.term)}* — ${escapeDiscord(note ? `${line.term.short} ${note}` : line.term.short)}`;
}

/**
 * One part of a digest as one embed: the heading as its title, who sends it as author, each
 * field's stories in the description (markdown links), how many stories and a late notice in the
 * footer. shared/digest's digestMessages cuts the parts so that {@link fitsDiscord} holds.
 */
export function renderDigestEmbed(message: Message): APIEmbed {
  const digest = message.digest;
  const blocks = (digest?.sections ?? []).map((s) =>
    [`__**${escapeDiscord(s.heading)}**__`, ...s.lines.map((line) => storyLine(line, message))].join('\n'),
  );
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: defuse(message.title),
    author: { name: defuse(message.source.title || 'SciPop') },
    description: blocks.join('\n\n') || escapeDiscord(message.summary || '—'),
  };
  const footer = [message.summary, digest?.late].filter(Boolean).join(' · ');
  if (footer) embed.footer = { text: defuse(footer) };
  return embed;
}

/** Whether a digest part is within every embed limit (for shared/digest's digestMessages). */
export function fitsDiscord(message: Message): boolean {
  const embed = renderDigestEmbed(message);
  return (
    (embed.title ?? '').length <= EMBED_LIMITS.title &&
    (embed.description ?? '').length <= EMBED_LIMITS.description &&
    (embed.footer?.text.length ?? 0) <= EMBED_LIMITS.footer &&
    (embed.author?.name.length ?? 0) <= EMBED_LIMITS.authorName &&
    embedSize(embed) <= EMBED_LIMITS.total
  );
}
