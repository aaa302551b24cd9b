import { withEdit } from '../curation/edits';
import { GrammyError, HttpError, type Api } from 'grammy';
import type { Message } from '../../shared/message/message';
import { renderPlainText } from '../../shared/message/plain-text';
import { SinkError, type SendResult, type Sink, type SinkTarget } from '../engine/sinks/types';
import type { EngineLogger } from '../engine/types';
import type { Store } from '../store/types';
import { photoCaption, renderTelegramPost } from './render';
import { fitsTelegram, renderTelegramDigest } from './render-digest';
import type { SendLimiter } from './limiter';
import type { TelegramState } from './state';
import { apiChatId, formatTarget, parseTarget } from './target';
import { errorMessage } from '../../shared/errors';

/**
 * How long a paused destination's posts wait before they are tried again. A resume brings them
 * back at once, even rows the outbox gave up on meanwhile, so a long pause loses nothing.
 */
export const PAUSED_RETRY_MS = 12 * 3_600_000;

/** What the Telegram sink needs; bots/telegram/platform.ts builds the real ones. */
export interface TelegramSinkDeps {
  /** A grammY Api with the send limiter and auto-retry installed. */
  api: Api;
  state: TelegramState;
  store: Store;
  log: EngineLogger;
  /** Whether posts to this channel show a link preview. */
  linkPreview(channelId: string): boolean;
  /** Telegram user ids told when a destination is paused or a source fails (private chats). */
  moderatorIds: readonly number[];
  /**
   * The send limiter, to start a destination's windows from its recent posts when this process
   * first sends there (another worker may have posted there a moment ago), looking `windowMs` back.
   */
  handOff?: { limiter: Pick<SendLimiter, 'seed'>; windowMs: number };
  now?: () => number;
}

/** The Telegram sink plus what moderation needs of it. */
export interface TelegramSink extends Sink {
  /** Un-pauses a destination and brings its waiting posts forward; returns how many. */
  resumeChat(chatId: string): Promise<number>;
  /** Sends a plain-text notice to the configured moderators (private chats). */
  notifyModerators(text: string): Promise<void>;
  /** Records that a group became a supergroup and moves its destinations to the new id. */
  migrateChat(from: string, to: string): Promise<void>;
}

const PHOTO_ERRORS =
  /wrong file identifier|failed to get HTTP URL content|wrong type of the web page content|IMAGE_PROCESS_FAILED|PHOTO_INVALID|photo|WEBPAGE/i;

/** Creates the sink that turns outbox rows into Telegram posts. */
export function createTelegramSink(deps: TelegramSinkDeps): TelegramSink {
  const { api, state, store, log } = deps;
  const now = deps.now ?? Date.now;
  const noticed = new Map<string, number>();
  /** When this process last sent (or looked back) to each channel. */
  const lastHere = new Map<string, number>();

  // A destination this process has not sent to within the window may have been another worker's:
  // its posts there still count toward the chat's and group's windows.
  const seedLimiter = async (channelId: string, chatId: string) => {
    if (!deps.handOff) return;
    const { limiter, windowMs } = deps.handOff;
    const at = now();
    const last = lastHere.get(channelId);
    lastHere.set(channelId, at);
    if (last !== undefined && at - last < windowMs) return;
    const recent = await store.recentSends(channelId, at - windowMs);
    if (recent.length > 0) limiter.seed(apiChatId(chatId), recent);
  };

  const notifyModerators = async (text: string) => {
    for (const id of deps.moderatorIds) {
      try {
        await api.sendMessage(id, text, { link_preview_options: { is_disabled: true } });
      } catch (error) {
        log.warn(
          { moderator: id, err: errorMessage(error) },
          'could not reach a moderator (has the moderator started a private chat with the bot?)',
        );
      }
    }
  };

  const pauseChat = async (chatId: string, target: SinkTarget, reason: string) => {
    if (!(await state.pause(chatId, reason, now()))) return;
    log.error(
      { channel: target.channelId, chat: chatId, reason },
      'Telegram destination paused; its posts wait until it is resumed',
    );
    await notifyModerators(
      `SciPop paused the destination "${target.title}" (${chatId}): ${reason}.\nIts posts wait and nothing is lost. Add the bot back (or fix its rights) and the posts resume; or send /resume in that chat.`,
    );
  };

  const moveChannels = async (from: string, to: string) => {
    await state.recordMigration(from, to);
    for (const c of await store.listChannels()) {
      const t = c.sink === 'telegram' ? parseTarget(c.target) : null;
      if (t && t.chatId === from)
        await store.upsertChannel({ ...c, target: formatTarget({ ...t, chatId: to }) }, now());
    }
  };

  const post = async (chatId: string, threadId: number | undefined, message: Message, preview: boolean) => {
    const chat = apiChatId(chatId);
    const thread = threadId === undefined ? {} : { message_thread_id: threadId };
    const caption = photoCaption(message);
    if (message.image && caption) {
      try {
        return await api.sendPhoto(chat, message.image, { caption: caption.html, parse_mode: 'HTML', ...thread });
      } catch (error) {
        if (!(
          error instanceof GrammyError &&
          error.error_code === 400 &&
          PHOTO_ERRORS.test(error.description) &&
          !/parse entities/.test(error.description)
        ))
          throw error;
        log.info(
          { chat: chatId, image: message.image, err: error.description },
          'Telegram refused the image; posting as text',
        );
      }
    }
    const text = message.digest ? renderTelegramDigest(message) : renderTelegramPost(message);
    const link = message.link ?? message.image;
    const previewOptions = preview && link ? { url: link, prefer_large_media: true } : { is_disabled: true };
    try {
      return await api.sendMessage(chat, text.html, {
        parse_mode: 'HTML',
        link_preview_options: previewOptions,
        ...thread,
      });
    } catch (error) {
      if (!(error instanceof GrammyError && /can't parse entities/.test(error.description))) throw error;
      // A renderer bug must not cost the post: say so loudly and send it as plain text.
      log.error(
        { chat: chatId, err: error.description },
        'Telegram could not parse a rendered post; sent as plain text instead',
      );
      return api.sendMessage(chat, renderPlainText(message).slice(0, 4096), {
        link_preview_options: previewOptions,
        ...thread,
      });
    }
  };

  return {
    name: 'telegram',
    idempotent: false,
    fitsDigest: fitsTelegram,
    notifyModerators,
    migrateChat: moveChannels,
    async send(target, message, meta): Promise<SendResult> {
      const parsed = parseTarget(target.target);
      if (!parsed) throw new SinkError(`"${target.target}" is not a Telegram chat id, @channel or chat/topic`, false);
      let chatId = await state.currentChat(parsed.chatId);
      const done = meta.inDoubt ? await state.sentRecord(meta.deliveryId) : undefined;
      if (done) {
        log.warn(
          { delivery: meta.deliveryId, chat: done.chatId, message: done.messageId },
          'in-doubt post was already sent (journal); not sending it again',
        );
        return { remoteId: `${done.chatId}:${done.messageId}` };
      }
      await seedLimiter(target.channelId, chatId);
      // A moderator may have edited the summary or key terms while the post waited for approval.
      const final = withEdit(message, await state.edit(meta.deliveryId));
      for (let hop = 0; ; hop++) {
        const paused = await state.paused(chatId);
        if (paused) {
          await state.holdRow(meta.deliveryId, chatId);
          throw new SinkError(`destination paused: ${paused.reason}`, true, PAUSED_RETRY_MS);
        }
        try {
          const sent = await post(chatId, parsed.threadId, final, deps.linkPreview(target.channelId));
          lastHere.set(target.channelId, now());
          await state.recordSent({
            deliveryId: meta.deliveryId,
            chatId,
            messageId: sent.message_id,
            title: message.title,
            sentAt: now(),
          });
          return { remoteId: `${chatId}:${sent.message_id}` };
        } catch (error) {
          if (error instanceof HttpError) throw new SinkError(`Telegram unreachable: ${error.message}`, true);
          if (!(error instanceof GrammyError)) throw error;
          const movedTo = error.parameters.migrate_to_chat_id;
          if (movedTo !== undefined && hop < 3) {
            log.warn(
              { channel: target.channelId, from: chatId, to: movedTo },
              'group became a supergroup; destination moved to the new chat id',
            );
            await moveChannels(chatId, String(movedTo));
            chatId = String(movedTo);
            continue;
          }
          if (
            error.error_code === 403 ||
            /chat not found|thread not found|not enough rights|CHAT_WRITE_FORBIDDEN/i.test(error.description)
          ) {
            await pauseChat(chatId, target, error.description);
            await state.holdRow(meta.deliveryId, chatId);
            throw new SinkError(`destination paused: ${error.description}`, true, PAUSED_RETRY_MS);
          }
          if (error.error_code === 429)
            throw new SinkError(error.description, true, (error.parameters.retry_after ?? 30) * 1000);
          throw new SinkError(`Telegram: ${error.description}`, error.error_code >= 500);
        }
      }
    },
    async notify(target, text) {
      // The engine notifies every channel; moderators need to hear each notice once.
      const last = noticed.get(text);
      if (last !== undefined && now() - last < 10 * 60_000) return;
      noticed.set(text, now());
      if (deps.moderatorIds.length > 0) return notifyModerators(text);
      const parsed = parseTarget(target.target);
      if (parsed)
        await api.sendMessage(apiChatId(await state.currentChat(parsed.chatId)), text, {
          link_preview_options: { is_disabled: true },
        });
    },
    async resumeChat(chatId) {
      const current = await state.currentChat(chatId);
      await state.resume(current);
      let moved = 0;
      for (const id of await state.takeHeldRows(current)) {
        const row = await store.getDelivery(id);
        // Pending rows wait out PAUSED_RETRY_MS; failed ones ran out of attempts while paused.
        if (row?.status !== 'pending' && row?.status !== 'failed') continue;
        await store.markFailed(id, 'destination resumed', now());
        moved++;
      }
      log.info({ chat: current, posts: moved }, 'Telegram destination resumed');
      return moved;
    },
  };
}
