import type { Bot } from 'grammy';
import { registerQueueCommands } from './commands-queue';
import { registerSourceCommands } from './commands-sources';
import { argsOf, chunks, type CommandDeps } from './context';

/** Every command with its one-line help, as setMyCommands registers them and /help lists them. */
export const COMMANDS = [
  { command: 'explain', description: 'Explain a science term from the glossary (everyone)' },
  { command: 'sources', description: 'List the feed sources and their state' },
  { command: 'add', description: 'Add a feed: /add URL [tags] (moderators)' },
  { command: 'remove', description: 'Remove a source: /remove ID (moderators)' },
  { command: 'filter', description: 'Show or edit this chat’s keyword and regex filters (moderators)' },
  { command: 'pause', description: 'Stop fetching a source: /pause ID (moderators)' },
  { command: 'resume', description: 'Resume a source, or this chat’s paused posting (moderators)' },
  { command: 'queue', description: 'Posts waiting for approval, with buttons (moderators)' },
  { command: 'import', description: 'Import sources: send an OPML file captioned /import (moderators)' },
  { command: 'export', description: 'Get every source as an OPML file (moderators)' },
  { command: 'status', description: 'Sources, failures, last posts and queue depth (moderators)' },
  { command: 'help', description: 'What SciPop does and how to use it' },
] as const;

/** Usage of each command, for `/help COMMAND`. */
const USAGE: Record<string, string> = {
  explain: '/explain TERM — the glossary’s explanation, e.g. /explain exoplanet or /explain 量子纠缠',
  sources: '/sources — every source: short id, title, feed URL, tags, state (ok, failing ×N, paused)',
  add: '/add URL [tags…] — fetches and checks the feed first, then adds it; tags are fields such as astronomy. In a new group, a configured moderator’s /add makes the group a destination for that feed',
  remove: '/remove ID|URL — removes the source and what it recorded',
  filter:
    '/filter — show this chat’s filters. /filter include WORD · exclude WORD · include-regex RE · exclude-regex RE · remove KIND VALUE · clear. Regexes use RE2 syntax. In a private chat: /filter DESTINATION …',
  pause: '/pause ID — stop fetching a source until /resume',
  resume:
    '/resume ID — fetch a paused source again; /resume alone restarts posting to this chat after Telegram refused it',
  queue: '/queue — the oldest 10 posts waiting for approval, each with Approve, Reject and Edit summary buttons',
  import: '/import — send an OPML file with /import as its caption, or reply /import to one',
  export: '/export — every source as an OPML 2.0 file',
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

  bot.command('explain', async (ctx) => {
    const term = argsOf(ctx);
    if (!term) return void (await ctx.reply('Usage: /explain TERM — for example /explain exoplanet'));
    const text = deps.explain(term);
    if (!text) return void (await ctx.reply(`I have no explanation for “${term.slice(0, 100)}” yet.`));
    for (const part of chunks(text)) await ctx.reply(part, { link_preview_options: { is_disabled: true } });
  });

  registerSourceCommands(bot, deps);
  registerQueueCommands(bot, deps);

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
    deps.log.error(
      { update: err.ctx.update.update_id, err: (err.error as Error)?.message ?? String(err.error) },
      'a Telegram update failed',
    );
  });
}
