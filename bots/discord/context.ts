import { MessageFlags, PermissionFlagsBits, type InteractionReplyOptions, type RepliableInteraction } from 'discord.js';
import type { ChatLang } from '../../shared/i18n/lang';
import { replyLang, type CommandDeps } from '../platform/commands';
import type { Channel } from '../store/types';
import type { DiscordConfig } from './config';
import type { DiscordSink } from './sink';
import type { DiscordState } from './state';

/** The permission moderation needs: Manage Server. Checked again on every interaction. */
export const MODERATOR_PERMISSION = PermissionFlagsBits.ManageGuild;

/** Everything the interaction handlers use: the neutral commands' deps and Discord's own parts; bots/discord/platform.ts builds it. */
export interface DiscordCommandDeps extends Omit<CommandDeps, 'now'> {
  state: DiscordState;
  sink: DiscordSink;
  config: DiscordConfig;
  /** Reads an attachment the member uploaded (its URL comes from Discord). */
  download(url: string): Promise<string>;
  now?: () => number;
  /**
   * Shows the held posts in the moderators' channel through the platform's one sync at a time (a
   * second sync running beside the first could post the same held item twice); returns how many it posted.
   */
  syncQueue?: () => Promise<number>;
}

/** Nothing a reply echoes (source titles, feed text) can ping anyone. */
export const QUIET = { allowedMentions: { parse: [] } } as const;

/** Splits text into Discord messages of at most 2,000 characters, at line ends when possible. */
export function chunks(text: string, size = 1900): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const cut = rest.lastIndexOf('\n', size);
    const at = cut > size / 2 ? cut : size;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  if (rest) out.push(rest);
  return out;
}

/** Replies privately to the member, in as many messages as the text needs. */
export async function answer(
  interaction: RepliableInteraction,
  text: string,
  extra: InteractionReplyOptions = {},
): Promise<void> {
  const [first = '…', ...more] = chunks(text);
  const options = { ...QUIET, ...extra, flags: MessageFlags.Ephemeral as const };
  if (interaction.deferred)
    await interaction.editReply({
      content: first,
      allowedMentions: { parse: [] },
      ...(extra.files ? { files: extra.files } : {}),
    });
  else if (interaction.replied) await interaction.followUp({ ...options, content: first });
  else await interaction.reply({ ...options, content: first });
  for (const part of more) await interaction.followUp({ ...QUIET, flags: MessageFlags.Ephemeral, content: part });
}

/** The SciPop destinations that post to this Discord channel. */
export async function channelsHere(deps: DiscordCommandDeps, channelId: string): Promise<Channel[]> {
  return (await deps.store.listChannels()).filter((c) => c.sink === 'discord' && c.target.trim() === channelId);
}

/**
 * The language answers speak here: the destinations' in this channel, else the server's (Discord's
 * guild locale; a direct message: the member's own).
 */
export function langHere(interaction: RepliableInteraction, deps: DiscordCommandDeps): Promise<ChatLang> {
  return replyLang({
    destinationsHere: () => channelsHere(deps, interaction.channelId ?? ''),
    locale: interaction.guildLocale ?? interaction.locale,
  });
}
