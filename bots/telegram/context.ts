import type { Context } from 'grammy';
import type { CommandDeps as NeutralDeps } from '../platform/commands';
import type { Channel } from '../store/types';
import type { ModeratorCheck } from './moderators';
import type { TelegramSink } from './sink';
import type { TelegramState } from './state';
import { parseTarget } from './target';

/** What the moderation commands work with: the neutral commands' deps and Telegram's own parts. */
export interface CommandDeps extends Omit<NeutralDeps, 'now'> {
  state: TelegramState;
  sink: TelegramSink;
  moderators: ModeratorCheck;
  /** Downloads a file Telegram holds (getFile's `file_path`). */
  download: (filePath: string) => Promise<Buffer>;
  now?: () => number;
}

/** The text after the command word: `/add https://x y` → `https://x y`. */
export const argsOf = (ctx: Context): string => {
  const text = ctx.msg?.text ?? ctx.msg?.caption ?? '';
  return text.replace(/^\/\w+(@\w+)?\s*/, '').trim();
};

/** The destinations (channels of the telegram sink) that post into this chat. */
export async function channelsOfChat(deps: CommandDeps, chatId: number): Promise<Channel[]> {
  const id = String(chatId);
  const out: Channel[] = [];
  for (const c of await deps.store.listChannels()) {
    const t = c.sink === 'telegram' ? parseTarget(c.target) : null;
    if (t && (await deps.state.currentChat(t.chatId)) === id) out.push(c);
  }
  return out;
}

/** Splits a long reply at line breaks into messages under Telegram's limit. */
export function chunks(text: string, max = 3900): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (current && current.length + line.length + 1 > max) {
      out.push(current);
      current = '';
    }
    current = current ? `${current}\n${line.slice(0, max)}` : line.slice(0, max);
  }
  if (current) out.push(current);
  return out;
}
