import type { ChatInputCommandInteraction } from 'discord.js';
import {
  ChannelRulesSchema,
  describeFilters,
  editFilters,
  isFilterKind,
  type ChannelRules,
} from '../../shared/curation';
import type { Channel } from '../store/types';
import { answer, channelsHere, option, type DiscordCommandDeps } from './context';

/** What a moderator asked `/scipop filter` to do. */
export interface FilterEdit {
  action: 'show' | 'add' | 'remove' | 'clear';
  kind?: string;
  value?: string;
}

/** Applies a filter edit to rules; a string is the problem to tell the moderator (bad regexes included). */
export function editRules(rules: ChannelRules, edit: FilterEdit): ChannelRules | string {
  if (edit.action === 'clear') return editFilters(rules, { action: 'clear' });
  if (edit.action === 'show' || !isFilterKind(edit.kind) || !edit.value)
    return `Give kind (include, exclude, include-regex or exclude-regex) and value to ${edit.action} a filter.`;
  return editFilters(rules, { action: edit.action, kind: edit.kind, value: edit.value });
}

/** The filters of a destination, as moderators read them (values as inline code). */
export function describeRules(channel: Channel): string {
  return describeFilters(channel.title, channel.rules, (x) => `\`${x.replace(/`/g, 'ˋ')}\``).join('\n');
}

/** `/scipop filter [action] [kind] [value]` on the destination that posts to this channel. */
export async function runFilterCommand(
  interaction: ChatInputCommandInteraction,
  deps: DiscordCommandDeps,
): Promise<void> {
  const channel = (await channelsHere(deps, interaction.channelId))[0];
  if (!channel)
    return answer(
      interaction,
      'This channel is not a SciPop destination, so it has no filters. Destinations are set in the config file (channels: with sink: discord and this channel’s id as target).',
    );
  const action = (option(interaction, 'action') || 'show') as FilterEdit['action'];
  if (action === 'show') return answer(interaction, describeRules(channel));
  const updated = editRules(ChannelRulesSchema.parse(channel.rules ?? {}), {
    action,
    kind: option(interaction, 'kind'),
    value: option(interaction, 'value'),
  });
  if (typeof updated === 'string') return answer(interaction, updated);
  await deps.store.upsertChannel({ ...channel, rules: updated }, (deps.now ?? Date.now)());
  const live = (await deps.channelsChanged?.()) ?? false;
  const applied = live
    ? 'in effect now'
    : channel.origin === 'chat'
      ? 'saved; it applies from the next restart'
      : 'saved, but this destination comes from the config file, which is applied again at every start: put the filter there too';
  await answer(interaction, `${describeRules({ ...channel, rules: updated })}\n\nFilter ${applied}.`);
}
