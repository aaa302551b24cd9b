import { errorMessage } from '../../shared/errors';
import type { Bot } from 'grammy';
import { CHAT_ACTIONS, CHAT_COMMANDS } from '../platform/command-set';
import type { Access } from '../platform/commands';
import { registerChatCommands } from './chat-commands';
import { argsOf, channelsOfChat, type CommandDeps } from './context';
import { replyLang } from '../platform/commands';
import type { ChatLang } from '../../shared/i18n/lang';
import { translate, type MessageKey } from '../../shared/i18n/translate';

/** Who may use a command, as /help and the menu say it. */
const ACCESS_KEY: Record<Access, MessageKey> = {
  everyone: 'access.everyone',
  moderator: 'access.moderators',
  operator: 'access.operators',
  editors: 'access.editors',
};
const accessKey = (access: Access) => ACCESS_KEY[access];

/** Every command with its one-line help in `lang`, as setMyCommands registers them and /help lists them. */
export function commandsIn(lang: ChatLang): { command: string; description: string }[] {
  return [
    ...CHAT_COMMANDS.map((c) => ({
      command: c.name,
      description: translate(lang, 'tg.withAccess', {
        description: translate(lang, c.description),
        access: translate(lang, accessKey(c.access)),
      }),
    })),
    { command: 'help', description: translate(lang, 'tg.help') },
  ];
}

/** The command menu in English (Telegram's default list). */
export const COMMANDS = commandsIn('en');

/**
 * Usage of each command, for `/help COMMAND`: Telegram's own from the catalogue, the neutral ones
 * from their arguments unless Telegram's words say more (`/add`'s tags, `/filter`'s grammar, what
 * `/status` shows here).
 */
function usageOf(lang: ChatLang, name: string): string | undefined {
  const own: Record<string, MessageKey> = {
    add: 'tg.usage.add',
    filter: 'tg.usage.filter',
    queue: 'tg.usage.queue',
    status: 'tg.usage.status',
    help: 'tg.usage.help',
  };
  if (own[name]) return translate(lang, own[name]);
  const c = CHAT_COMMANDS.find((x) => x.name === name);
  if (!c) return undefined;
  const args = c.args
    .filter((a) => a.kind === 'text')
    .map((a) => (a.required ? ` ${a.name.toUpperCase()}` : ` [${a.name.toUpperCase()}]`));
  const file = c.args.some((a) => a.kind === 'file') ? translate(lang, 'tg.usage.file') : '';
  return `/${c.name}${args.join('')}${file} — ${translate(lang, c.description)}`;
}

/** The /help text in `lang`. */
function helpIn(lang: ChatLang): string {
  return [
    translate(lang, 'tg.help.intro'),
    '',
    ...commandsIn(lang).map((c) => `/${c.command} — ${c.description}`),
    '',
    translate(lang, 'tg.help.moderators'),
  ].join('\n');
}

/** Registers every handler on a bot; the updates come from the runner (or a webhook). */
export function registerHandlers(bot: Bot, deps: CommandDeps): void {
  bot.command(['start', 'help'], async (ctx) => {
    const wanted = argsOf(ctx).replace(/^\//, '').toLowerCase();
    const here = ctx.chat ? await channelsOfChat(deps, ctx.chat.id) : [];
    const lang = await replyLang({ destinationsHere: async () => here, locale: ctx.from?.language_code ?? null });
    await ctx.reply((wanted && usageOf(lang, wanted)) || helpIn(lang));
  });

  registerChatCommands(bot, deps, CHAT_COMMANDS, CHAT_ACTIONS);

  bot.on('my_chat_member', async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    const chatId = String(ctx.chat.id);
    deps.moderators.forget(ctx.chat.id);
    if (
      (status === 'member' || status === 'administrator') &&
      (await deps.state.paused(await deps.state.currentChat(chatId)))
    ) {
      const moved = await deps.sink.resumeChat(chatId);
      deps.log.info({ chat: chatId, posts: moved }, 'bot added back: destination resumed');
    } else if (status === 'kicked' || status === 'left') {
      deps.log.warn({ chat: chatId, status }, 'bot removed from a chat');
    }
  });

  // A group turned supergroup announces its new id: move the destination before a send fails.
  bot.on('message:migrate_to_chat_id', async (ctx) => {
    const to = String(ctx.msg.migrate_to_chat_id);
    await deps.sink.migrateChat(String(ctx.chat.id), to);
    deps.log.warn({ from: ctx.chat.id, to }, 'group became a supergroup; destination moved');
  });

  bot.catch((err) => {
    deps.log.error({ update: err.ctx.update.update_id, err: errorMessage(err.error) }, 'a Telegram update failed');
  });
}
