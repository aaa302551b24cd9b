import type { DigestLine, Message } from './message';
import { fallbackNote } from './words';

/** A post as plain text, the way the console sink prints it and a plain-text platform would send it. */
export function renderPlainText(message: Message): string {
  if (message.digest) return renderPlainDigest(message);
  const lines = [message.title];
  const meta = [message.source.title, message.published?.slice(0, 16).replace('T', ' ')].filter(Boolean).join(' · ');
  lines.push(meta);
  if (message.link) lines.push(message.link);
  if (message.summary) lines.push('', message.summary);
  if (message.terms.length > 0) {
    lines.push('');
    for (const t of message.terms) {
      const note = fallbackNote(message, t);
      lines.push(`• ${t.term}: ${t.short}${note ? ` ${note}` : ''}`);
    }
  }
  if (message.hashtags.length > 0) lines.push('', message.hashtags.join(' '));
  return lines.join('\n');
}

/** A digest line's sources, each followed by its link: `NASA <https://…> · ESA <https://…>`. */
const plainSources = (line: DigestLine) =>
  line.links.map((l) => (l.url ? `${l.source} <${l.url}>` : l.source)).join(' · ');

/** One part of a digest as plain text: heading, who sends it, the sections with numbered stories. */
function renderPlainDigest(message: Message): string {
  const digest = message.digest!;
  const lines = [message.title, [message.source.title, message.summary].filter(Boolean).join(' · ')];
  if (digest.late) lines.push(digest.late);
  for (const section of digest.sections) {
    lines.push('', section.heading);
    for (const line of section.lines) {
      lines.push(`${line.n}. ${line.title} — ${plainSources(line)}`);
      if (line.term) {
        const note = fallbackNote(message, line.term);
        lines.push(`   ${line.term.term}: ${line.term.short}${note ? ` ${note}` : ''}`);
      }
    }
  }
  return lines.join('\n');
}
