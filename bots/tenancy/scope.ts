import { managedChannels, type Actor, type ChannelPlace } from '../../shared/curation';
import type { Channel } from '../store/types';

/** A stored channel with where it lives (see shared/curation/roles.ts). */
export interface PlacedChannel extends ChannelPlace {
  channel: Channel;
}

/**
 * Where and as whom a moderator command runs, platform-neutral: each platform builds it from its
 * update (Telegram: the chat and the user's admin status; Discord: the guild and Manage Server).
 */
export interface Scope {
  actor: Actor;
  /** The destinations of the chat or channel the command was sent in. */
  here: readonly PlacedChannel[];
  /** Every channel with its place (operators manage them all). */
  all: readonly PlacedChannel[];
}

/** The channels the command changes: those here the actor manages (an operator outside a destination: none). */
export const targetsOf = (scope: Scope): Channel[] => managedChannels(scope.actor, scope.here).map((c) => c.channel);

/** Every channel the actor manages (operators: all). */
export const managedOf = (scope: Scope): Channel[] => managedChannels(scope.actor, scope.all).map((c) => c.channel);

/** True when the actor may change at least one channel here, or is an operator. */
export const mayModerateHere = (scope: Scope): boolean => scope.actor.operator || targetsOf(scope).length > 0;

/**
 * Why a member may not use something of this access, or null when they may: `operator` when it
 * needs the network's operators and they are not one, `moderator` when they moderate nothing here.
 * `moderates` is the platform's own answer where it knows more (Discord: a guild's moderator typing
 * outside its destinations).
 */
export function refusalOf(
  scope: Scope,
  access: 'everyone' | 'moderator' | 'operator' | 'editors',
  moderates = mayModerateHere(scope),
): 'operator' | 'moderator' | null {
  // 'editors': everyone reaches the command, which decides (bots/glossary/term-chat.ts).
  if (access === 'everyone' || access === 'editors' || scope.actor.operator) return null;
  if (access === 'operator') return 'operator';
  return moderates ? null : 'moderator';
}
