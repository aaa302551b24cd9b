import { ChannelType, type ChatInputCommandInteraction } from 'discord.js';
import { ApprovalModeSchema } from '../../shared/curation';
import { answer, channelsHere, option, type DiscordCommandDeps } from './context';

/** Channel kinds a destination can be (text, announcement, forum, threads). */
const POSTABLE = new Set<number>([
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildForum,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

const applied = (live: boolean) => (live ? 'It takes effect now.' : 'It takes effect at the next restart.');

/**
 * `/scipop subscribe [tags] [approval]`: makes the channel where it is typed a destination (a
 * `chat` channel in the store, which config-file syncs leave alone); `/scipop unsubscribe` undoes it.
 */
export async function runSubscribeCommand(
  sub: 'subscribe' | 'unsubscribe',
  interaction: ChatInputCommandInteraction,
  deps: DiscordCommandDeps,
): Promise<void> {
  const now = deps.now ?? Date.now;
  const here = await channelsHere(deps, interaction.channelId);
  if (sub === 'unsubscribe') {
    const mine = here.filter((c) => c.origin === 'chat');
    if (mine.length === 0) {
      return answer(
        interaction,
        here.length
          ? 'This channel’s destination comes from the config file; remove it there.'
          : 'This channel is not a SciPop destination.',
      );
    }
    for (const c of mine) await deps.store.removeChannel(c.id);
    return answer(
      interaction,
      `This channel no longer receives posts. Posts already waiting for it are not sent. ${applied((await deps.channelsChanged?.()) ?? false)}`,
    );
  }
  const type = interaction.channel?.type;
  if (type !== undefined && !POSTABLE.has(type))
    return answer(
      interaction,
      'SciPop posts to text, announcement and forum channels and to threads; this channel is none of those.',
    );
  if (here.length > 0)
    return answer(
      interaction,
      `This channel already receives posts (${here.map((c) => c.title).join(', ')}). /scipop filter changes what it gets.`,
    );
  const approval = ApprovalModeSchema.safeParse(option(interaction, 'approval') || 'untrusted');
  if (!approval.success) return answer(interaction, 'approval is one of: untrusted, all, none.');
  const tags = option(interaction, 'tags')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((t) => t.replace(/^#/, '').toLowerCase());
  const name =
    interaction.channel && 'name' in interaction.channel && interaction.channel.name
      ? `#${interaction.channel.name}`
      : interaction.channelId;
  await deps.store.upsertChannel(
    {
      id: `discord-${interaction.channelId}`,
      sink: 'discord',
      target: interaction.channelId,
      title: name,
      rules: { tags, approval: approval.data },
      origin: 'chat',
    },
    now(),
  );
  const live = (await deps.channelsChanged?.()) ?? false;
  const what = tags.length ? `new items of sources tagged ${tags.join(', ')}` : 'new items of every source';
  const queue =
    approval.data === 'none'
      ? ''
      : approval.data === 'all'
        ? ' Every post waits for approval first.'
        : ' Posts from sources not marked trusted wait for approval first.';
  await answer(interaction, `This channel now receives ${what}.${queue} ${applied(live)}`);
}
