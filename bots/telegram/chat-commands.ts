import { GrammyError, InputFile, type Bot, type Context } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import { CHAT_ACTIONS } from '../platform/command-set';
import {
  actionOfButton,
  buttonData,
  CommandError,
  dispatch,
  opensToEveryone,
  parseTextArgs,
  replyLang,
  say,
  type Access,
  type ChatAction,
  type ChatCommand,
  type CommandArgs,
  type CommandContext,
  type PlatformStatus,
  type Reply,
} from '../platform/commands';
import { mayModerateHere, type Scope } from '../tenancy/scope';
import { telegramQueue } from './commands-queue';
import { argsOf, channelsOfChat, chunks, type CommandDeps } from './context';
import { requireModerator, telegramScope } from './scope';
import { formatTarget } from './target';
import { chatLangOf } from '../../shared/i18n/lang';

const quiet = { link_preview_options: { is_disabled: true } } as const;

/** Buttons as an inline keyboard; their callback data is `x:ACTION:DATA` (the queue's `q:DATA`: buttonData). */
function keyboard(rows: Reply['buttons']): { inline_keyboard: InlineKeyboardButton[][] } | undefined {
  if (!rows?.length) return undefined;
  return {
    inline_keyboard: rows.map((row) => row.map((b) => ({ text: b.label, callback_data: buttonData(b, CHAT_ACTIONS) }))),
  };
}

/** A neutral command's view of a Telegram update. */
function contextOf(ctx: Context, deps: CommandDeps): CommandContext {
  const chat = ctx.chat!;
  // A channel post has no author; a button pressed under one has (Telegram says who pressed it).
  const from = chat.type === 'channel' && !ctx.callbackQuery ? undefined : ctx.from;
  // The `Checking …` message of a slow step, which the next reply replaces.
  let checking: { chatId: number; messageId: number } | undefined;
  // This chat (or the forum topic of the message) as a destination, speaking the language of the
  // moderator who sets it up until a moderator's /lang; a private chat cannot be one.
  const asDestination = () => {
    if (chat.type === 'private') return say(self, 'subscribe.private');
    const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
    const target = formatTarget({ chatId: String(chat.id), ...(thread !== undefined ? { threadId: thread } : {}) });
    return {
      id: `tg:${target}`,
      sink: 'telegram',
      target,
      title: 'title' in chat && chat.title ? chat.title : target,
      lang: chatLangOf(from?.language_code),
    };
  };
  const self: CommandContext = {
    platform: 'telegram',
    locale: from?.language_code ?? null,
    place: {
      id: String(chat.id),
      kind: chat.type === 'private' ? 'private' : chat.type === 'channel' ? 'channel' : 'group',
      ...('title' in chat && chat.title ? { title: chat.title } : {}),
    },
    user: from ? { id: String(from.id), name: from.username ? `@${from.username}` : from.first_name } : null,
    async reply(reply) {
      const r = typeof reply === 'string' ? { text: reply } : reply;
      if (r.file) {
        await ctx.replyWithDocument(new InputFile(r.file.data, r.file.name), { caption: r.text });
        return;
      }
      if (r.ask) {
        // A forced reply to the member: their answer comes back as a reply to this message.
        await ctx.reply(r.text, { ...quiet, reply_markup: { force_reply: true, selective: true } });
        return;
      }
      if (r.privately && chat.type !== 'private') {
        if (!from) return void (await ctx.reply(say(self, 'tg.private.noSender'), quiet));
        try {
          for (const part of chunks(r.text)) await ctx.api.sendMessage(from.id, part, quiet);
          await ctx.reply(say(self, 'tg.private.sent'), quiet);
        } catch (error) {
          // The member never opened a private chat with the bot (403: it may not write first; 400:
          // Telegram knows no chat with them), or blocked it.
          const closed =
            error instanceof GrammyError && (error.error_code === 403 || /chat not found/i.test(error.description));
          if (!closed) throw error;
          await ctx.reply(say(self, 'tg.private.closed'), quiet);
        }
        return;
      }
      const parts = chunks(r.text);
      const progress = checking;
      checking = undefined;
      if (progress && parts.length === 1 && !r.buttons?.length) {
        await ctx.api.editMessageText(progress.chatId, progress.messageId, r.text, quiet);
        return;
      }
      for (const [i, part] of parts.entries()) {
        const markup = i === parts.length - 1 ? keyboard(r.buttons) : undefined;
        await ctx.reply(part, { ...quiet, ...(markup ? { reply_markup: markup } : {}) });
      }
    },
    // Channel posts have no author to force a reply from.
    asks: chat.type !== 'channel',
    command: (name, args) => [`/${name}`, ...Object.values(args ?? {})].join(' '),
    code: (text) => text,
    link: (url) => url,
    scope: () => telegramScope(deps, chat, from?.id),
    moderatesPlace: async (place) =>
      place === String(chat.id) && from !== undefined && (await deps.moderators.isModerator(chat.id, from.id)),
    destinationsHere: () => channelsOfChat(deps, chat.id),
    placeName: 'chat',
    // Replies are plain text, where inline code does not show: quotes mark a value's ends.
    quote: (text) => `“${text}”`,
    status: (scope) => statusHere(deps, String(chat.id), scope, self),
    queue: telegramQueue(ctx, deps, keyboard),
    ...(ctx.callbackQuery
      ? {
          notice: async (text: string, alert?: boolean) =>
            void (await ctx.answerCallbackQuery({ text, ...(alert ? { show_alert: true } : {}) })),
          async closePressed(line: string) {
            const message = ctx.callbackQuery?.message;
            const text = message && 'text' in message ? (message.text ?? '') : '';
            // Without reply_markup the edit takes the buttons away; the line must fit in 4,096 characters.
            await ctx.editMessageText(`${text.slice(0, 4000 - line.length)}\n\n${line}`, quiet);
          },
        }
      : {}),
    async progress(text) {
      const sent = await ctx.reply(text, quiet);
      checking = { chatId: sent.chat.id, messageId: sent.message_id };
    },
    // A group, or a forum topic of one, becomes a destination when an operator adds a feed there.
    newDestination() {
      const place = asDestination();
      return typeof place === 'string' ? null : place;
    },
    asDestination,
    async resumePosting() {
      const id = String(chat.id);
      if (!(await deps.state.paused(await deps.state.currentChat(id)))) return null;
      return deps.sink.resumeChat(id);
    },
  };
  return self;
}

/** What `status` shows of this chat that only Telegram's state knows: paused destinations, the last posts here. */
async function statusHere(
  deps: CommandDeps,
  chatId: string,
  scope: Scope,
  ctx: CommandContext,
): Promise<PlatformStatus> {
  const recent = await deps.state.recentSent(await deps.state.currentChat(chatId), 5);
  // A channel's moderators see their own chat's; operators every one.
  const paused = (await deps.state.allPaused()).filter(
    (p) => scope.actor.operator || scope.here.some((c) => c.place === p.chatId),
  );
  return {
    sourcesHere: say(ctx, 'tg.status.sourcesHere'),
    paused: paused.map((p) => ({ where: p.chatId, reason: p.reason })),
    more: [
      say(ctx, recent.length ? 'tg.status.lastPosts' : 'tg.status.noPosts'),
      ...recent.map((r) => `  • ${new Date(r.sentAt).toISOString().slice(0, 16).replace('T', ' ')} ${r.title}`),
    ],
  };
}

/** The document sent with the command (as its caption) or replied to, as a neutral file. */
function documentOf(ctx: Context, deps: CommandDeps, chat: CommandContext): CommandArgs[string] {
  const doc = ctx.msg?.document ?? ctx.msg?.reply_to_message?.document;
  if (!doc) return undefined;
  return {
    name: doc.file_name ?? say(chat, 'tg.file.unnamed'),
    size: doc.file_size ?? 0,
    async read() {
      const file = await ctx.api.getFile(doc.file_id);
      if (!file.file_path) throw new CommandError(say(chat, 'tg.file.missing'));
      return (await deps.download(file.file_path)).toString('utf8');
    },
  };
}

/** Maps every neutral command to a Telegram command (words after it are its arguments) and every action to a callback button. */
export function registerChatCommands(
  bot: Bot,
  deps: CommandDeps,
  commands: readonly ChatCommand[],
  actions: readonly ChatAction[],
): void {
  const neutral = { ...deps, now: deps.now ?? Date.now };
  // Runs a command's handler (or its answer handler) for the member, if their role allows it.
  const runFor = (ctx: Context, command: ChatCommand, handler: (chat: CommandContext) => Promise<void>) => {
    const chat = contextOf(ctx, deps);
    return dispatch(
      chat,
      command,
      async (access) => opensToEveryone(access) || (await requireModerator(ctx, deps, access, chat.lang)) !== null,
      () => handler(chat),
      deps.log,
    );
  };
  const run = async (ctx: Context, command: ChatCommand) => {
    const args = parseTextArgs(command.args, argsOf(ctx));
    await runFor(ctx, command, (chat) => {
      for (const spec of command.args) if (spec.kind === 'file') args[spec.name] = documentOf(ctx, deps, chat);
      return command.run(chat, args, neutral);
    });
  };
  for (const command of commands) bot.command(command.name, (ctx) => run(ctx, command));
  // An answer to a command's question: a reply to one of this bot's messages that a command owns.
  const answering = commands.filter((c) => c.answers);
  bot.on('message:text', async (ctx, next) => {
    const asked = ctx.msg.reply_to_message;
    const question = asked?.from?.id === ctx.me.id ? (asked.text ?? '') : '';
    const command = question ? answering.find((c) => c.answers!.question.test(question)) : undefined;
    if (!command) return next();
    await runFor(ctx, command, (chat) => command.answers!.run(chat, question, ctx.msg.text, neutral));
  });
  // A file captioned with a command that takes a file (`/import` on an OPML file).
  const takesFile = commands.filter((c) => c.args.some((a) => a.kind === 'file'));
  bot.on('message:document', async (ctx, next) => {
    const word = /^\/(\w+)(@\w+)?\b/.exec(ctx.msg.caption ?? '')?.[1];
    const command = takesFile.find((c) => c.name === word);
    return command ? run(ctx, command) : next();
  });

  bot.on('callback_query:data', async (ctx, next) => {
    const pressed = actionOfButton(ctx.callbackQuery.data, actions);
    if (!pressed.action && !pressed.unknown) return next();
    const message = ctx.callbackQuery.message;
    const chat = contextOf(ctx, deps);
    if (!pressed.action || !message) {
      chat.lang = await replyLang(chat);
      return void (await ctx.answerCallbackQuery({ text: say(chat, 'button.gone') }));
    }
    const { action, data } = pressed;
    // Buttons under a channel message are visible to every subscriber: ask Telegram about the presser.
    const allowed = async (access: Access) => {
      if (opensToEveryone(access)) return true;
      const scope = await telegramScope(deps, message.chat, ctx.from.id);
      if (scope.actor.operator || (access === 'moderator' && mayModerateHere(scope))) return true;
      await ctx.answerCallbackQuery({ text: say(chat, 'button.moderatorsOnly'), show_alert: true });
      return false;
    };
    await dispatch(chat, action, allowed, () => action.run(chat, data ?? '', neutral), deps.log);
    await ctx.answerCallbackQuery().catch(() => undefined);
  });
}
