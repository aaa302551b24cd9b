import { compileRules, type CompiledRules } from '../../shared/curation';
import type { Channel } from '../store/types';
import type { SinkTarget } from './sinks/types';

/** A channel with its rules compiled, ready for curation and delivery. */
export interface CompiledChannel {
  channel: Channel;
  target: SinkTarget;
  rules: CompiledRules;
}

/** Compiles stored channels; a channel whose rules no longer validate is reported and skipped. */
export function compileChannels(
  channels: readonly Channel[],
  onInvalid: (channel: Channel, errors: string[]) => void,
): CompiledChannel[] {
  const out: CompiledChannel[] = [];
  for (const channel of channels) {
    const rules = compileRules(channel.rules);
    if (!rules.ok) {
      onInvalid(channel, rules.errors);
      continue;
    }
    out.push({
      channel,
      rules: rules.value,
      target: { channelId: channel.id, target: channel.target, title: channel.title },
    });
  }
  return out;
}
