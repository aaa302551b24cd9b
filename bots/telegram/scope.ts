import type { Context } from 'grammy';
import type { ChatLang } from '../../shared/i18n/lang';
import { translate } from '../../shared/i18n/translate';
import type { Access } from '../platform/commands';
import type { Channel } from '../store/types';
import { mayModerateHere, refusalOf, type PlacedChannel, type Scope } from '../tenancy/scope';
import { channelsOfChat, type CommandDeps } from './context';
import { parseTarget } from './target';

/** A channel with the Telegram chat it posts into (its place); other platforms' channels have no place here. */
async function placed(deps: CommandDeps, c: Channel): Promise<PlacedChannel> {
  const t = c.sink === 'telegram' ? parseTarget(c.target) : null;
  return { id: c.id, platform: c.sink, place: t ? await deps.state.currentChat(t.chatId) : null, channel: c };
}

/**
 * The scope of a command or button pressed in `chatId`: operators are the configured moderators;
 * the chat's administrators moderate its destinations (in a channel, a post without a sender comes
 * from an administrator). Being admin of some other chat gives nothing here.
 */
export async function telegramScope(
  deps: CommandDeps,
  chat: { id: number; type: string },
  userId: number | undefined,
): Promise<Scope> {
  const operator = userId !== undefined && deps.moderators.isConfigured(userId);
  const here = await Promise.all((await channelsOfChat(deps, chat.id)).map((c) => placed(deps, c)));
  const admin =
    here.length > 0 &&
    ((chat.type === 'channel' && userId === undefined) ||
      (userId !== undefined && (await deps.moderators.isModerator(chat.id, userId))));
  const all = await Promise.all((await deps.store.listChannels()).map((c) => placed(deps, c)));
  return {
    actor: {
      platform: 'telegram',
      userId: userId === undefined ? `chat:${chat.id}` : String(userId),
      operator,
      places: admin ? [String(chat.id)] : [],
    },
    here,
    all,
  };
}

/** The scope of the update in `ctx` (commands posted in a channel have no sender). */
export function scopeOfContext(ctx: Context, deps: CommandDeps): Promise<Scope> | null {
  const chat = ctx.chat;
  if (!chat) return null;
  return telegramScope(deps, chat, chat.type === 'channel' ? undefined : ctx.from?.id);
}

/**
 * Lets operators and this chat's administrators through, with their scope; everyone else gets a
 * polite refusal and nothing changes. `network` actions (remove/pause a source for everyone,
 * import) need an operator.
 */
export async function requireModerator(
  ctx: Context,
  deps: CommandDeps,
  access: Access,
  lang: ChatLang = 'en',
): Promise<Scope | null> {
  const scope = await scopeOfContext(ctx, deps);
  if (!scope) return null;
  const refused = refusalOf(scope, access);
  if (!refused) return scope;
  const chat = ctx.chat!;
  const text = translate(
    lang,
    refused === 'operator' && mayModerateHere(scope)
      ? 'tg.refuse.operator'
      : chat.type === 'private' || scope.here.length === 0
        ? 'tg.refuse.notModerator'
        : 'tg.refuse.notAdmin',
  );
  await ctx.reply(text, {
    reply_parameters: ctx.msg ? { message_id: ctx.msg.message_id, allow_sending_without_reply: true } : undefined,
  });
  return null;
}
