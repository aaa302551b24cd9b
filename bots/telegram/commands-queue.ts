import { InlineKeyboard, type Bot, type Context } from 'grammy';
import { MessageSchema } from '../../shared/message/message';
import type { Delivery } from '../store/types';
import { heldFor, mayDecide } from '../tenancy/services';
import type { CommandDeps } from './context';
import { requireModerator, telegramScope } from './scope';
import { renderTelegramPost } from './render';

/** The edit prompt's post id (the bot's own message: only it can have written this). */
const EDIT_PROMPT = /^Reply to this message with the new summary \(plain text\) of post (\S+)\.$/;

const keyboard = (id: string) =>
  new InlineKeyboard()
    .text('✅ Approve', `q:a:${id}`)
    .text('🗑 Reject', `q:r:${id}`)
    .text('✏️ Edit summary', `q:e:${id}`);

/** The queue's view of one held post: the post as it would appear, with the moderator's summary if edited. */
async function preview(deps: CommandDeps, row: Delivery): Promise<string> {
  const parsed = MessageSchema.safeParse(row.message);
  if (!parsed.success) return `(unreadable post ${row.id})`;
  const summary = await deps.state.summary(row.id);
  return renderTelegramPost(summary === undefined ? parsed.data : { ...parsed.data, summary }, 3500).html;
}

/** /queue with its Approve / Reject / Edit-summary buttons. */
export function registerQueueCommands(bot: Bot, deps: CommandDeps): void {
  const now = deps.now ?? Date.now;

  const showItem = async (ctx: Context, row: Delivery) => {
    await ctx.reply(await preview(deps, row), {
      parse_mode: 'HTML',
      reply_markup: keyboard(row.id),
      link_preview_options: { is_disabled: true },
    });
  };

  bot.command('queue', async (ctx) => {
    const scope = await requireModerator(ctx, deps);
    if (!scope) return;
    if (ctx.chat.type === 'channel') {
      // Subscribers would see the unapproved posts.
      return void (await ctx.reply(
        'The queue is not shown in a channel, where every subscriber would see it. Use /queue in a private chat with me or in a group of moderators.',
      ));
    }
    const rows = await heldFor({ store: deps.store, now }, scope, 10);
    if (rows.length === 0) return void (await ctx.reply('The approval queue is empty.'));
    await ctx.reply(`${rows.length} post(s) wait for approval${rows.length === 10 ? ' (showing the oldest 10)' : ''}:`);
    for (const row of rows) await showItem(ctx, row);
  });

  bot.callbackQuery(/^q:([are]):(.+)$/, async (ctx) => {
    // Buttons under a channel message are visible to every subscriber: ask Telegram about the presser.
    // The post's own channel decides, not the chat the button is in: callback data can be replayed
    // or forged from another chat, so an admin there must not reach this community's queue.
    const [, action, id] = ctx.match as RegExpMatchArray;
    const chat = ctx.callbackQuery.message?.chat;
    const scope = chat ? await telegramScope(deps, chat, ctx.from.id) : null;
    const allowed = scope !== null && (await mayDecide({ store: deps.store, now }, scope, id!));
    if (!allowed)
      return void (await ctx.answerCallbackQuery({
        text: 'Only this post’s channel moderators can decide on it.',
        show_alert: true,
      }));
    const who = ctx.from.username ? `@${ctx.from.username}` : ctx.from.first_name;
    if (action === 'e') {
      await ctx.answerCallbackQuery();
      // The prompt names the post, so whichever worker takes the reply knows what it edits.
      await ctx.reply(`Reply to this message with the new summary (plain text) of post ${id}.`, {
        reply_markup: { force_reply: true, selective: true },
      });
      return;
    }
    const decided = await deps.store.decideDelivery(
      id!,
      action === 'a' ? 'approve' : 'reject',
      `telegram:${ctx.from.id}`,
      now(),
    );
    await ctx.answerCallbackQuery({
      text: decided ? (action === 'a' ? 'Approved' : 'Rejected') : 'Someone already decided on this post.',
    });
    const row = await deps.store.getDelivery(id!);
    const verdict = !decided
      ? `Already ${row?.status === 'rejected' ? 'rejected' : 'decided'}.`
      : action === 'a'
        ? `✅ Approved by ${who}`
        : `🗑 Rejected by ${who}`;
    if (row)
      await ctx.editMessageText(`${await preview(deps, row)}\n\n<i>${verdict.replace(/[<>&]/g, '')}</i>`, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
      });
  });

  bot.on('message:text', async (ctx, next) => {
    const replyTo = ctx.msg.reply_to_message;
    const id = replyTo?.from?.id === ctx.me.id ? EDIT_PROMPT.exec(replyTo.text ?? '')?.[1] : undefined;
    if (!id) return next();
    const scope = await requireModerator(ctx, deps);
    if (!scope) return;
    const row = await deps.store.getDelivery(id);
    if (!row || row.status !== 'held') return void (await ctx.reply('That post is no longer in the queue.'));
    if (!(await mayDecide({ store: deps.store, now }, scope, id)))
      return void (await ctx.reply('That post belongs to another channel’s queue; only its moderators can edit it.'));
    await deps.state.setSummary(id, ctx.msg.text.trim(), `telegram:${ctx.from.id}`, now());
    await ctx.reply('Summary updated. The post as it will appear:');
    await showItem(ctx, row);
  });
}
