import { Routes, type APIChannel, type APIEmbed, type APIMessage, type REST } from 'discord.js';

/**
 * Looks for a post a crashed run may already have made. The `nonce` with `enforce_nonce` covers a
 * restart within Discord's few-minute nonce window; after that, the channel's latest 50 messages
 * (or the forum's active posts) are searched for one by the bot with the same title and link.
 * Returns the message id, or null when the post is not there.
 */
export async function findExisting(
  rest: REST,
  channel: APIChannel & { guild_id?: string },
  embed: APIEmbed,
  name: string,
  botId: string,
): Promise<string | null> {
  if (channel.type === 15) {
    if (!channel.guild_id) return null;
    const active = (await rest.get(Routes.guildActiveThreads(channel.guild_id))) as {
      threads: (APIChannel & { parent_id?: string; owner_id?: string })[];
    };
    const thread = active.threads.find((t) => t.parent_id === channel.id && t.owner_id === botId && t.name === name);
    return thread ? thread.id : null;
  }
  const recent = (await rest.get(Routes.channelMessages(channel.id), {
    query: new URLSearchParams({ limit: '50' }),
  })) as APIMessage[];
  const same = recent.find(
    (m) =>
      (m.author.id === botId || m.webhook_id !== undefined) &&
      m.embeds.some((e) => e.title === embed.title && e.url === embed.url),
  );
  return same ? same.id : null;
}
