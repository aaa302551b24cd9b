import type { Context } from 'grammy';
import type { Fetcher } from '../engine/fetch-types';
import type { TermService } from '../glossary/term-service';
import type { EngineLogger, FeedParser } from '../engine/types';
import type { Channel, Store } from '../store/types';
import type { ModeratorCheck } from './moderators';
import type { TelegramSink } from './sink';
import type { TelegramState } from './state';
import { parseTarget } from './target';

/** What the moderation commands work with. */
export interface CommandDeps {
  store: Store;
  state: TelegramState;
  sink: TelegramSink;
  moderators: ModeratorCheck;
  fetcher: Pick<Fetcher, 'fetch'>;
  parse: FeedParser;
  /** The glossary entry for a term as a reader would see it, or null (`scipop glossary explain`). */
  explain: (term: string) => string | null;
  /** The community glossary's /term, when the network runs one. */
  term?: TermService;
  /** Downloads a file Telegram holds (getFile's `file_path`). */
  download: (filePath: string) => Promise<Buffer>;
  log: EngineLogger;
  /** Tells the engine that channels or their rules changed; false when it cannot reload them live (they apply from the next start). */
  channelsChanged?: () => Promise<boolean>;
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

/**
 * Whether a user moderates in a chat: a configured moderator anywhere; an administrator only in a
 * chat that is a SciPop destination (being admin of some group the bot was added to gives no say
 * over the sources every destination shares).
 */
export async function isChatModerator(
  deps: CommandDeps,
  chatId: number,
  userId: number | undefined,
  chatType?: string,
): Promise<boolean> {
  if (userId !== undefined && deps.moderators.isConfigured(userId)) return true;
  if ((await channelsOfChat(deps, chatId)).length === 0) return false;
  // In a channel only administrators can post, so a command posted there comes from one.
  if (chatType === 'channel' && userId === undefined) return true;
  return userId !== undefined && deps.moderators.isModerator(chatId, userId);
}

/** Lets moderators through; everyone else gets a polite refusal and nothing changes. */
export async function requireModerator(ctx: Context, deps: CommandDeps): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat) return false;
  const user = chat.type === 'channel' ? undefined : ctx.from;
  if (await isChatModerator(deps, chat.id, user?.id, chat.type)) return true;
  const destination = (await channelsOfChat(deps, chat.id)).length > 0;
  await ctx.reply(
    chat.type === 'private' || !destination
      ? 'Sorry, only SciPop moderators can change sources, filters and the queue here. Ask the bot operator to add your Telegram id to telegram.moderators. /explain TERM works for everyone.'
      : 'Sorry, only this chat’s administrators and SciPop moderators can change sources, filters and the queue. /explain TERM works for everyone.',
    { reply_parameters: ctx.msg ? { message_id: ctx.msg.message_id, allow_sending_without_reply: true } : undefined },
  );
  return false;
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
