import { withEdit } from '../curation/edits';
import {
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  Routes,
  type APIChannel,
  type APIEmbed,
  type APIMessage,
  type REST,
} from 'discord.js';
import type { Message } from '../../shared/message/message';
import { SinkError, type SendResult, type Sink, type SinkTarget } from '../engine/sinks/types';
import type { EngineLogger } from '../engine/types';
import type { Store } from '../store/types';
import type { DiscordConfig, DiscordDestination } from './config';
import { findExisting } from './in-doubt';
import { NO_MENTIONS, renderEmbed, threadName } from './render';
import { fitsDiscord, renderDigestEmbed } from './render-digest';
import type { DiscordState } from './state';
import { errorMessage } from '../../shared/errors';

/** What the Discord sink needs; bots/discord/platform.ts builds the real ones. */
export interface DiscordSinkDeps {
  rest: REST;
  state: DiscordState;
  store: Store;
  config: DiscordConfig;
  log: EngineLogger;
  now?: () => number;
}

/** The Discord sink plus what moderation needs of it. */
export interface DiscordSink extends Sink {
  /** Un-pauses a destination and brings its waiting posts forward; returns how many. */
  resumeDestination(channelId: string): Promise<number>;
  /** Posts a notice to the moderators' channel (when one is configured). */
  notifyModerators(text: string): Promise<void>;
  /** The bot's user id (asked once). */
  botId(): Promise<string>;
}

/** Errors that mean "this channel is gone or closed to the bot" (unknown channel or webhook, no access, no permission, archived thread): pause it, keep its posts. */
const CLOSED_CODES = new Set([10003, 10015, 50001, 50013, 50083]);

/** The channel types the sink posts to. */
const TEXT_TYPES = new Set([0, 5, 10, 11, 12]);
const FORUM = 15;

type ChannelInfo = APIChannel & {
  guild_id?: string;
  parent_id?: string | null;
  available_tags?: { id: string; name: string }[];
};

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/^#/, '')
    .replace(/[\s_-]+/g, '');

/** Forum tags for a post: its hashtags (and the configured aliases) that name one of the forum's tags, at most 5. */
export function forumTags(
  message: Message,
  available: readonly { id: string; name: string }[],
  aliases: Record<string, string>,
): string[] {
  const byName = new Map(available.map((t) => [norm(t.name), t.id]));
  const out: string[] = [];
  for (const tag of message.hashtags) {
    const name = aliases[tag.replace(/^#/, '')] ?? tag;
    const id = byName.get(norm(name));
    if (id && !out.includes(id)) out.push(id);
  }
  return out.slice(0, 5);
}

/** A webhook's display name: the source's, within Discord's rules (1–80 characters, no "discord"/"clyde"). */
const webhookName = (name: string) =>
  name
    .replace(/discord|clyde/gi, '')
    .replace(/@(everyone|here)/gi, '')
    .trim()
    .slice(0, 80) || 'SciPop';

/** Creates the sink that turns outbox rows into Discord posts through the REST manager. */
export function createDiscordSink(deps: DiscordSinkDeps): DiscordSink {
  const { rest, state, config, log } = deps;
  const now = deps.now ?? Date.now;
  const channels = new Map<string, { info: ChannelInfo; at: number }>();
  const noticed = new Map<string, number>();
  let me: Promise<string> | null = null;
  const botId = () => (me ??= (rest.get(Routes.user('@me')) as Promise<{ id: string }>).then((u) => u.id));

  const channelInfo = async (id: string): Promise<ChannelInfo> => {
    const hit = channels.get(id);
    if (hit && now() - hit.at < 10 * 60_000) return hit.info;
    const info = (await rest.get(Routes.channel(id))) as ChannelInfo;
    channels.set(id, { info, at: now() });
    return info;
  };

  const notifyModerators = async (text: string) => {
    if (!config.moderatorChannel)
      return void log.warn({ notice: text }, 'no discord.moderatorChannel is configured: moderators could not be told');
    try {
      await rest.post(Routes.channelMessages(config.moderatorChannel), {
        body: { content: text.slice(0, 2000), allowed_mentions: NO_MENTIONS },
      });
    } catch (error) {
      log.warn(
        { channel: config.moderatorChannel, err: errorMessage(error) },
        'could not post to the moderators’ channel',
      );
    }
  };

  const post = async (
    info: ChannelInfo,
    target: SinkTarget,
    message: Message,
    embed: APIEmbed,
    meta: { deliveryId: string },
    dest: DiscordDestination,
  ): Promise<APIMessage> => {
    if (info.type === FORUM) {
      const applied = forumTags(message, info.available_tags ?? [], dest.tags);
      const thread = (await rest.post(Routes.threads(info.id), {
        body: {
          name: threadName(message),
          message: { embeds: [embed], allowed_mentions: NO_MENTIONS },
          ...(applied.length ? { applied_tags: applied } : {}),
        },
      })) as { id: string; message?: APIMessage };
      return thread.message ?? ({ id: thread.id, channel_id: thread.id } as APIMessage);
    }
    if (!TEXT_TYPES.has(info.type))
      throw new SinkError(
        `channel ${info.id} is not a text, announcement, forum or thread channel (type ${info.type})`,
        false,
      );
    if (dest.webhook) {
      const isThread = info.type === 10 || info.type === 11 || info.type === 12;
      const home = isThread && info.parent_id ? info.parent_id : info.id;
      let hook = await state.webhook(home);
      if (!hook) {
        const made = (await rest.post(Routes.channelWebhooks(home), { body: { name: 'SciPop' } })) as {
          id: string;
          token: string;
        };
        hook = await state.saveWebhook(home, { id: made.id, token: made.token });
        if (hook.id !== made.id) {
          // Another worker made one for this channel first (two destinations can share it): use
          // theirs, so the channel keeps one SciPop webhook.
          await rest
            .delete(Routes.webhook(made.id))
            .catch((error: unknown) =>
              log.warn(
                { channel: home, webhook: made.id, err: errorMessage(error) },
                'could not delete a second SciPop webhook',
              ),
            );
        }
      }
      const icon = embed.author?.icon_url;
      const query = new URLSearchParams({ wait: 'true', ...(isThread ? { thread_id: info.id } : {}) });
      try {
        return (await rest.post(Routes.webhook(hook.id, hook.token), {
          query,
          auth: false,
          body: {
            username: webhookName(message.source.title),
            ...(icon ? { avatar_url: icon } : {}),
            embeds: [embed],
            allowed_mentions: NO_MENTIONS,
          },
        })) as APIMessage;
      } catch (error) {
        if (error instanceof DiscordAPIError && error.code === 10015) await state.forgetWebhook(home, hook.id); // deleted by someone: make a new one next time
        throw error;
      }
    }
    return (await rest.post(Routes.channelMessages(info.id), {
      body: {
        embeds: [embed],
        allowed_mentions: NO_MENTIONS,
        nonce: meta.deliveryId.slice(0, 25),
        enforce_nonce: true,
      },
    })) as APIMessage;
  };

  const crosspost = async (channelId: string, messageId: string, target: SinkTarget) => {
    try {
      await rest.post(Routes.channelMessageCrosspost(channelId, messageId));
    } catch (error) {
      // The post is out; only its publication failed. Say so, and do not send it again.
      if (error instanceof DiscordAPIError && error.code === 40033) return;
      log.warn(
        { channel: target.channelId, message: messageId, err: errorMessage(error) },
        'posted, but could not publish (crosspost) it',
      );
    }
  };

  const pause = async (channelId: string, target: SinkTarget, reason: string) => {
    channels.delete(channelId);
    if (!(await state.pause(channelId, reason, now()))) return;
    log.error(
      { channel: target.channelId, discordChannel: channelId, reason },
      'Discord destination paused; its posts wait until it is resumed',
    );
    await notifyModerators(
      `SciPop paused the destination “${target.title}” (<#${channelId}>): ${reason}.\nIts posts wait; nothing is lost. Fix the bot’s access (View Channel, Send Messages, Embed Links) and run /scipop resume in that channel, or wait: it is tried again every ${config.pausedRecheckMinutes} min.`,
    );
  };

  return {
    name: 'discord',
    idempotent: true,
    fitsDigest: fitsDiscord,
    notifyModerators,
    botId,
    async send(target, built, meta): Promise<SendResult> {
      // A moderator may have edited the summary (/queue's Edit summary) or key terms (the dashboard) while the post waited for approval.
      const message = withEdit(built, await deps.store.editedPost(meta.deliveryId));
      const channelId = target.target.trim();
      if (!/^\d{17,20}$/.test(channelId)) throw new SinkError(`"${target.target}" is not a Discord channel id`, false);
      const recheckMs = config.pausedRecheckMinutes * 60_000;
      const paused = await state.paused(channelId);
      if (paused && now() - paused.pausedAt < recheckMs)
        throw new SinkError(`destination paused: ${paused.reason}`, true, paused.pausedAt + recheckMs - now());
      const dest = config.destinations[target.channelId] ?? { crosspost: false, webhook: false, tags: {} };
      try {
        const info = await channelInfo(channelId);
        const icon =
          config.sourceIcons && message.source.url && /^https?:/.test(message.source.url)
            ? `${new URL(message.source.url).origin}/favicon.ico`
            : undefined;
        const embed = message.digest ? renderDigestEmbed(message) : renderEmbed(message, icon ? { icon } : {}).embed;
        if (meta.inDoubt) {
          const existing = await findExisting(rest, info, embed, threadName(message), await botId());
          if (existing) {
            log.info(
              { delivery: meta.deliveryId, channel: target.channelId, message: existing },
              'in-doubt post is already in the channel; not sending it again',
            );
            // A forum post is its own thread, whose first message has the thread's id.
            return { remoteId: info.type === FORUM ? `${existing}:${existing}` : `${channelId}:${existing}` };
          }
        }
        const sent = await post(info, target, message, embed, meta, dest);
        if (dest.crosspost && info.type === 5) await crosspost(channelId, sent.id, target);
        if (paused && (await state.resume(channelId)))
          await notifyModerators(
            `Posting to “${target.title}” (<#${channelId}>) works again; its waiting posts go out now.`,
          );
        return { remoteId: `${sent.channel_id ?? channelId}:${sent.id}` };
      } catch (error) {
        if (error instanceof SinkError) throw error;
        if (error instanceof RateLimitError)
          throw new SinkError(
            `Discord rate limit on ${error.route}: retry in ${Math.ceil(error.retryAfter / 1000)} s`,
            true,
            error.retryAfter,
          );
        if (error instanceof DiscordAPIError) {
          // A 404 without one of these codes is a wrong route, not a missing channel: retry, do not pause.
          if (CLOSED_CODES.has(Number(error.code)) || error.status === 403) {
            await pause(channelId, target, `${error.message} (Discord error ${error.code})`);
            throw new SinkError(`destination paused: ${error.message}`, true, recheckMs);
          }
          throw new SinkError(`Discord: ${error.message} (${error.code})`, error.status >= 500);
        }
        if (error instanceof HTTPError) throw new SinkError(`Discord: HTTP ${error.status}`, true);
        throw new SinkError(`Discord unreachable: ${errorMessage(error)}`, true);
      }
    },
    async notify(_target, text) {
      // The engine notifies every channel; moderators need to hear each notice once.
      const last = noticed.get(text);
      if (last !== undefined && now() - last < 10 * 60_000) return;
      noticed.set(text, now());
      await notifyModerators(text);
    },
    async resumeDestination(channelId) {
      await state.resume(channelId);
      channels.delete(channelId);
      const ids = new Set(
        (await deps.store.listChannels())
          .filter((c) => c.sink === 'discord' && c.target.trim() === channelId)
          .map((c) => c.id),
      );
      let moved = 0;
      for (const row of await deps.store.pendingDeliveries(Number.MAX_SAFE_INTEGER, 100_000)) {
        if (!ids.has(row.channelId)) continue;
        await deps.store.deferDelivery(row.id, now());
        moved++;
      }
      log.info({ channel: channelId, posts: moved }, 'Discord destination resumed');
      return moved;
    },
  };
}
