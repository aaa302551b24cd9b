import type { Context } from 'grammy';
import type { DashboardLinks } from '../dashboard/sign-in';
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
  /** The moderators' dashboard's sign-in links, for `/dashboard`. */
  dashboard?: DashboardLinks;
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
