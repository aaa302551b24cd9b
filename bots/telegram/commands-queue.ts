import { withEdit } from '../curation/edits';
import type { Context } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import { MessageSchema } from '../../shared/message/message';
import type { ChatButton, QueuePlatform } from '../platform/commands';
import type { Delivery } from '../store/types';
import type { CommandDeps } from './context';
import { renderTelegramPost } from './render';

/** The queue's view of one held post: the post as it would appear, with the moderator's summary if edited. */
async function preview(deps: CommandDeps, row: Delivery): Promise<string> {
  const parsed = MessageSchema.safeParse(row.message);
  if (!parsed.success) return `(unreadable post ${row.id})`;
  return renderTelegramPost(withEdit(parsed.data, await deps.state.edit(row.id)), 3500).html;
}

/**
 * Telegram's part of the neutral `/queue` (bots/curation/queue-chat.ts): each held post as its
 * HTML preview, and a decision written under the pressed post in place of its buttons.
 */
export function telegramQueue(
  ctx: Context,
  deps: CommandDeps,
  keyboard: (rows: ChatButton[][]) => { inline_keyboard: InlineKeyboardButton[][] } | undefined,
): QueuePlatform {
  return {
    async show(row, buttons) {
      const markup = keyboard(buttons);
      await ctx.reply(await preview(deps, row), {
        parse_mode: 'HTML',
        ...(markup ? { reply_markup: markup } : {}),
        link_preview_options: { is_disabled: true },
      });
    },
    async decided({ row, verdict }) {
      if (row)
        await ctx.editMessageText(`${await preview(deps, row)}\n\n<i>${verdict.replace(/[<>&]/g, '')}</i>`, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
        });
    },
  };
}
