import type { ChatInputCommandInteraction } from 'discord.js';
import { ChannelRulesSchema, compileRules, type ChannelRules } from '../../shared/curation';
import type { Channel } from '../store/types';
import { answer, channelsHere, option, type DiscordCommandDeps } from './context';

const KEYS = { include: 'include', exclude: 'exclude', 'include-regex': 'includeRegex', 'exclude-regex': 'excludeRegex' } as const;
type Kind = keyof typeof KEYS;

/** What a moderator asked `/scipop filter` to do. */
export interface FilterEdit {
  action: 'show' | 'add' | 'remove' | 'clear';
  kind?: string;
  value?: string;
}

/** Applies a filter edit to rules; a string is the problem to tell the moderator (bad regexes included). */
export function editRules(rules: ChannelRules, edit: FilterEdit): ChannelRules | string {
  if (edit.action === 'clear') return { ...rules, include: [], exclude: [], includeRegex: [], excludeRegex: [] };
  if (!edit.kind || !(edit.kind in KEYS) || !edit.value) return `Give kind (include, exclude, include-regex or exclude-regex) and value to ${edit.action} a filter.`;
  const key = KEYS[edit.kind as Kind];
  const current = rules[key];
  const next = edit.action === 'remove' ? current.filter((v) => v !== edit.value) : current.includes(edit.value) ? current : [...current, edit.value];
  if (edit.action === 'remove' && next.length === current.length) return `“${edit.value}” is not in ${edit.kind}.`;
  const updated = { ...rules, [key]: next };
  const compiled = compileRules(updated);
  return compiled.ok ? updated : `Not saved: ${compiled.errors.join('; ')}`;
}

/** The filters of a destination, as moderators read them. */
export function describeRules(channel: Channel): string {
  const r = ChannelRulesSchema.parse(channel.rules ?? {});
  const list = (xs: string[]) => (xs.length ? xs.map((x) => `\`${x.replace(/`/g, 'ˋ')}\``).join(', ') : '—');
  return [
    `Filters of ${channel.title}:`,
    `include: ${list(r.include)}`,
    `exclude: ${list(r.exclude)}`,
    `include-regex: ${list(r.includeRegex)}`,
    `exclude-regex: ${list(r.excludeRegex)}`,
    `approval: ${r.approval}`,
  ].join('\n');
}

/** `/scipop filter [action] [kind] [value]` on the destination that posts to this channel. */
export async function runFilterCommand(interaction: ChatInputCommandInteraction, deps: DiscordCommandDeps): Promise<void> {
  const channel = (await channelsHere(deps, interaction.channelId))[0];
  if (!channel) return answer(interaction, 'This channel is not a SciPop destination, so it has no filters. Destinations are set in the config file (channels: with sink: discord and this channel’s id as target).');
  const action = (option(interaction, 'action') || 'show') as FilterEdit['action'];
  if (action === 'show') return answer(interaction, describeRules(channel));
  const updated = editRules(ChannelRulesSchema.parse(channel.rules ?? {}), { action, kind: option(interaction, 'kind'), value: option(interaction, 'value') });
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
