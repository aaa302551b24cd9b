import type { Message } from './message';

/** A post as plain text, the way the console sink prints it and a plain-text platform would send it. */
export function renderPlainText(message: Message): string {
  const lines = [message.title];
  const meta = [message.source.title, message.published?.slice(0, 16).replace('T', ' ')].filter(Boolean).join(' · ');
  lines.push(meta);
  if (message.link) lines.push(message.link);
  if (message.summary) lines.push('', message.summary);
  if (message.terms.length > 0) {
    lines.push('');
    for (const t of message.terms) lines.push(`• ${t.term}: ${t.short}`);
  }
  if (message.hashtags.length > 0) lines.push('', message.hashtags.join(' '));
  return lines.join('\n');
}
