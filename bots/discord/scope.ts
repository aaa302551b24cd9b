import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { Access } from '../platform/commands';
import type { Channel } from '../store/types';
import { mayModerateHere, refusalOf, type PlacedChannel, type Scope } from '../tenancy/scope';
import { translate } from '../../shared/i18n/translate';
import { langHere, MODERATOR_PERMISSION, QUIET, type DiscordCommandDeps } from './context';

/** The guild a Discord channel (or thread) is in, from the client's cache or Discord; null when unknown. */
async function guildOf(interaction: RepliableInteraction, channelId: string): Promise<string | null> {
  const cached = interaction.client.channels.cache.get(channelId);
  const channel = cached ?? (await interaction.client.channels.fetch(channelId).catch(() => null));
  return channel && 'guildId' in channel && typeof channel.guildId === 'string' ? channel.guildId : null;
}

const rolesOf = (interaction: RepliableInteraction): string[] => {
  const roles = interaction.member?.roles;
  if (!roles) return [];
  return Array.isArray(roles) ? roles : [...roles.cache.keys()];
};

/**
 * The scope of an interaction: operators are the users and roles of `discord.operators`; a member
 * with Manage Server moderates that guild's destinations. "Here" is the destination of the channel
 * the command is typed in, or, for a guild's moderator typing elsewhere in it, the guild's destinations.
 */
export async function discordScope(interaction: RepliableInteraction, deps: DiscordCommandDeps): Promise<Scope> {
  const { users, roles } = deps.config.operators;
  const operator = users.includes(interaction.user.id) || rolesOf(interaction).some((r) => roles.includes(r));
  // `discord.guilds`, when set, is where moderation comes from: Manage Server elsewhere moderates nothing.
  const { guilds } = deps.config;
  const manager =
    interaction.inGuild() &&
    interaction.memberPermissions?.has(MODERATOR_PERMISSION) === true &&
    (guilds.length === 0 || guilds.includes(interaction.guildId))
      ? interaction.guildId
      : null;
  const place = async (c: Channel): Promise<PlacedChannel> => ({
    id: c.id,
    platform: c.sink,
    place: c.sink === 'discord' ? await guildOf(interaction, c.target.trim()) : null,
    channel: c,
  });
  const all = await Promise.all((await deps.store.listChannels()).map(place));
  const inChannel = all.filter((c) => c.platform === 'discord' && c.channel.target.trim() === interaction.channelId);
  const inGuild = all.filter((c) => c.platform === 'discord' && manager !== null && c.place === manager);
  return {
    actor: { platform: 'discord', userId: interaction.user.id, operator, places: manager ? [manager] : [] },
    here: inChannel.length > 0 || operator ? inChannel : inGuild,
    all,
  };
}

/**
 * Lets operators and the guild's moderators through, with their scope; anyone else is told why.
 * `operator` actions (import, export) need an operator.
 */
export async function requireDiscordScope(
  interaction: RepliableInteraction,
  deps: DiscordCommandDeps,
  access: Access,
): Promise<Scope | null> {
  const scope = await discordScope(interaction, deps);
  const refused = refusalOf(scope, access, mayModerateHere(scope) || scope.actor.places.length > 0);
  if (!refused) return scope;
  await interaction.reply({
    ...QUIET,
    flags: MessageFlags.Ephemeral,
    content: translate(
      await langHere(interaction, deps),
      refused === 'operator' && scope.actor.places.length > 0 ? 'dc.refuse.operator' : 'dc.refuse.manageServer',
    ),
  });
  return null;
}
