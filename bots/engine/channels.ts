import { compileRules, type CompiledRules } from '../../shared/curation';
import { DigestConfigSchema, type DigestConfig } from '../../shared/digest/config';
import type { Channel, Subscription } from '../store/types';
import type { SinkTarget } from './sinks/types';

/** A channel with its rules compiled, ready for curation and delivery. */
export interface CompiledChannel {
  channel: Channel;
  target: SinkTarget;
  rules: CompiledRules;
  /**
   * The sources it receives (its active subscriptions); null when compiled without subscriptions,
   * and then its rules' `sources` and `tags` select them.
   */
  sources: ReadonlySet<string> | null;
  /** Its digest settings, or null when it has no digest (see bots/digest/compose.ts). */
  digest: DigestConfig | null;
}

/**
 * Compiles stored channels; a channel whose rules no longer validate is reported and skipped.
 * With `subscriptions`, a channel receives the sources it subscribes to (not paused) and its rules
 * only filter their items: the rules' selection already made the subscriptions (store/subscriptions.ts).
 */
export function compileChannels(
  channels: readonly Channel[],
  onInvalid: (channel: Channel, errors: string[]) => void,
  subscriptions?: readonly Subscription[],
): CompiledChannel[] {
  const subscribed = new Map<string, Set<string>>();
  for (const s of subscriptions ?? []) {
    if (s.pausedReason !== null) continue;
    let set = subscribed.get(s.channelId);
    if (!set) subscribed.set(s.channelId, (set = new Set()));
    set.add(s.sourceId);
  }
  const out: CompiledChannel[] = [];
  for (const channel of channels) {
    const rules = compileRules(channel.rules);
    if (!rules.ok) {
      onInvalid(channel, rules.errors);
      continue;
    }
    const value = subscriptions
      ? { ...rules.value, rules: { ...rules.value.rules, sources: [], tags: [] } }
      : rules.value;
    const digest =
      channel.digest === undefined || channel.digest === null ? null : DigestConfigSchema.safeParse(channel.digest);
    if (digest && !digest.success) {
      onInvalid(
        channel,
        digest.error.issues.map((i) => `digest.${i.path.join('.')}: ${i.message}`),
      );
      continue;
    }
    out.push({
      channel,
      digest: digest ? digest.data : null,
      rules: value,
      target: { channelId: channel.id, target: channel.target, title: channel.title },
      sources: subscriptions ? (subscribed.get(channel.id) ?? new Set()) : null,
    });
  }
  return out;
}

/** The channels that receive a source's items. */
export function subscribersOf(channels: readonly CompiledChannel[], sourceId: string): CompiledChannel[] {
  return channels.filter((c) => c.sources === null || c.sources.has(sourceId));
}
