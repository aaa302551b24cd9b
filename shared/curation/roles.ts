/**
 * Who may do what on a SciPop network: the one model the chat commands, the dashboard and the
 * living glossary share. Network operators (the configured moderators) manage everything; a
 * channel's moderators (the admins of its Telegram chat, the members with Manage Server in its
 * Discord guild) manage that channel and nothing else; everyone else manages nothing.
 */

/** The person acting, as their platform and the config describe them. */
export interface Actor {
  /** `telegram`, `discord`, `dashboard`… */
  platform: string;
  userId: string;
  /** A network operator: listed in the config (Telegram ids, Discord users or role). */
  operator: boolean;
  /**
   * The places where the platform says this person moderates: Telegram chats they administer,
   * Discord guilds where they have Manage Server. Places are compared within one platform.
   */
  places: readonly string[];
}

/** A channel as roles see it: where it lives on its platform (its Telegram chat, its Discord guild). */
export interface ChannelPlace {
  id: string;
  platform: string;
  /** Unknown (null) places belong to operators alone. */
  place: string | null;
}

/** What a person is to one channel. */
export type Role = 'operator' | 'channel-moderator' | 'member';

/** What moderators do: to their channels (`channel`), or to the whole network (`network`, operators only). */
export const MODERATOR_ACTIONS = {
  /** List a channel's subscriptions (operators: every source). */
  sources: 'channel',
  /** Subscribe a channel to a feed, adding it to the network if new. */
  subscribe: 'channel',
  /** End a channel's subscription. */
  unsubscribe: 'channel',
  /** Pause or resume a channel's subscription. */
  pauseSubscription: 'channel',
  /** A channel's figures and the state of the sources it uses. */
  status: 'channel',
  /** See, approve, reject or edit a channel's held posts. */
  queue: 'channel',
  /** Edit a channel's keyword and regex filters. */
  filter: 'channel',
  /** Make a chat or channel a destination, or stop it being one. */
  destination: 'channel',
  /** Remove a source for every channel. */
  removeSource: 'network',
  /** Pause or resume a source for every channel. */
  pauseSource: 'network',
  /** Import an OPML list of sources into the network. */
  import: 'network',
  /** Export the network's sources as OPML. */
  export: 'network',
} as const;
/** One of {@link MODERATOR_ACTIONS}. */
export type ModeratorAction = keyof typeof MODERATOR_ACTIONS;

/** The actor's role for a channel (or, without one, on the network: operator or member). */
export function roleFor(actor: Actor, channel?: ChannelPlace): Role {
  if (actor.operator) return 'operator';
  if (channel && channel.place !== null && channel.platform === actor.platform && actor.places.includes(channel.place))
    return 'channel-moderator';
  return 'member';
}

/** Whether the actor may change this channel (its subscriptions, filters, queue). */
export function canManage(actor: Actor, channel: ChannelPlace): boolean {
  return roleFor(actor, channel) !== 'member';
}

/** The channels among `channels` the actor may change. */
export function managedChannels<T extends ChannelPlace>(actor: Actor, channels: readonly T[]): T[] {
  return channels.filter((c) => canManage(actor, c));
}

/** Whether the actor may take this action: network actions need an operator, channel actions a channel they manage. */
export function mayDo(actor: Actor, action: ModeratorAction, channel?: ChannelPlace): boolean {
  if (actor.operator) return true;
  if (MODERATOR_ACTIONS[action] === 'network') return false;
  return channel !== undefined && canManage(actor, channel);
}
