import { errorMessage } from '../../shared/errors';
import type { Bot } from 'grammy';
import { CHAT_ACTIONS, CHAT_COMMANDS } from '../platform/command-set';
import type { Access } from '../platform/commands';
import { registerChatCommands } from './chat-commands';
import { argsOf, type CommandDeps } from './context';

/** Telegram's own commands (the neutral ones come from bots/platform/command-set.ts). */
const OWN_COMMANDS = [{ command: 'help', description: 'What SciPop does and how to use it' }];

/** Who may use a command, as the menu and /help say it. */
const AUDIENCE: Record<Access, string> = {
  everyone: 'everyone',
  moderator: 'moderators',
  operator: 'operators',
  editors: 'moderators and glossary editors',
};

/** Every command with its one-line help, as setMyCommands registers them and /help lists them. */
export const COMMANDS: readonly { command: string; description: string }[] = [
  ...CHAT_COMMANDS.map((c) => ({
    command: c.name,
    description: `${c.description} (${AUDIENCE[c.access]})`,
  })),
  ...OWN_COMMANDS,
];

/**
 * Usage of each command, for `/help COMMAND`: Telegram's own written here, the neutral ones from
 * their arguments unless Telegram's words say more (`/add`'s tags, `/filter`'s grammar, what
 * `/status` shows here).
 */
const USAGE: Record<string, string> = {
  ...Object.fromEntries(
    CHAT_COMMANDS.map((c) => {
      const args = c.args
        .filter((a) => a.kind === 'text')
        .map((a) => (a.required ? ` ${a.name.toUpperCase()}` : ` [${a.name.toUpperCase()}]`));
      const file = c.args.some((a) => a.kind === 'file') ? ` (as the caption of the file, or in reply to it)` : '';
      return [c.name, `/${c.name}${args.join('')}${file} — ${c.description}`];
    }),
  ),
  add: '/add URL [tags…] — fetches and checks the feed first, then adds it; tags are fields such as astronomy. In a new group, a configured moderator’s /add makes the group a destination for that feed',
  filter:
    '/filter — show this chat’s filters. /filter include WORD · exclude WORD · include-regex RE · exclude-regex RE · remove KIND VALUE · clear. Regexes use RE2 syntax. In a private chat: /filter DESTINATION …',
  queue: '/queue — the oldest 10 posts waiting for approval, each with Approve, Reject and Edit summary buttons',
  status: '/status — sources, failures, outbox, queue depth, paused destinations, last posts here',
  help: '/help [COMMAND] — this list, or how to use one command',
};

const HELP = [
  'SciPop posts curated science news and explains its jargon.',
  '',
  ...COMMANDS.map((c) => `/${c.command} — ${c.description}`),
  '',
  'Moderators are this chat’s administrators and the ids in the bot’s config.',
].join('\n');

/** Registers every handler on a bot; the updates come from the runner (or a webhook). */
export function registerHandlers(bot: Bot, deps: CommandDeps): void {
  bot.command(['start', 'help'], async (ctx) => {
    const wanted = argsOf(ctx).replace(/^\//, '').toLowerCase();
    await ctx.reply(wanted && USAGE[wanted] ? USAGE[wanted] : HELP);
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
