import { compileRules, type ChannelRules } from '../../shared/curation';
import type { CommandDeps } from '../platform/commands';
import type { Channel } from '../store/types';

/** How a saved rule change takes effect, for the moderator who made it. */
export interface SavedRules {
  /** In effect now (the running network re-read its channels), or only from the next restart. */
  live: boolean;
  /** The channel comes from the config file, which is re-applied at every start. */
  fromFile: boolean;
}

/**
 * Saves a channel's new rules, for `/filter` in the chats and the dashboard's Channels page alike:
 * rules that do not compile are refused with every problem (nothing is stored), otherwise they are
 * stored (a changed source selection changes the channel's subscriptions) and the running network
 * is told to re-read its channels.
 */
export async function saveChannelRules(
  deps: Pick<CommandDeps, 'store' | 'now' | 'channelsChanged'>,
  channel: Channel,
  rules: ChannelRules,
): Promise<{ ok: true; value: SavedRules } | { ok: false; errors: string[] }> {
  const compiled = compileRules(rules);
  if (!compiled.ok) return compiled;
  await deps.store.upsertChannel({ ...channel, rules: compiled.value.rules }, deps.now());
  const live = (await deps.channelsChanged?.()) ?? false;
  return { ok: true, value: { live, fromFile: channel.origin !== 'chat' } };
}

/** What a moderator is told about a saved change: when it applies, and whether the config file overrides it. */
export function appliedText(saved: SavedRules, what = 'change'): string {
  return `${saved.live ? 'in effect now' : 'saved; it applies from the next restart'}${saved.fromFile ? `. This destination comes from the config file, which is re-applied at every start: copy the ${what} there to keep it` : ''}`;
}
