/**
 * What the fake Discord knows: guilds, channels, messages, webhooks, commands and interactions,
 * all in memory. The REST routes and the gateway read and change it; tests inspect it.
 */

/** Discord channel types the fake models. */
export const ChannelType = {
  text: 0,
  announcement: 5,
  announcementThread: 10,
  publicThread: 11,
  privateThread: 12,
  forum: 15,
} as const;

/** Permission bits the fake checks (Discord's values). */
export const Permission = {
  manageChannels: 1n << 4n,
  manageGuild: 1n << 5n,
  viewChannel: 1n << 10n,
  sendMessages: 1n << 11n,
  manageMessages: 1n << 13n,
  embedLinks: 1n << 14n,
  attachFiles: 1n << 15n,
  readMessageHistory: 1n << 16n,
  mentionEveryone: 1n << 17n,
  manageWebhooks: 1n << 29n,
  sendMessagesInThreads: 1n << 38n,
  createPublicThreads: 1n << 35n,
} as const;

/** A user as Discord sends it. */
export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
}

/** A channel; `botDenied` lists the permission names the bot lacks there. */
export interface FakeChannel {
  id: string;
  type: number;
  guild_id: string;
  name: string;
  position: number;
  parent_id?: string | null;
  available_tags?: { id: string; name: string; moderated: boolean; emoji_id: null; emoji_name: null }[];
  applied_tags?: string[];
  thread_metadata?: { archived: boolean; auto_archive_duration: number; locked: boolean; archive_timestamp: string };
  message_count?: number;
  owner_id?: string;
  botDenied: Set<keyof typeof Permission>;
}

/** A stored message, in Discord's shape plus the fake's bookkeeping. */
export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: FakeUser;
  content: string;
  embeds: Record<string, unknown>[];
  components: Record<string, unknown>[];
  attachments: unknown[];
  mentions: unknown[];
  mention_roles: string[];
  mention_everyone: boolean;
  pinned: boolean;
  tts: boolean;
  type: number;
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  nonce?: string | number;
  webhook_id?: string;
  /** What the sender asked for; the fake records it so tests can check nobody could be pinged. */
  allowedMentions?: unknown;
}

/** A channel webhook. */
export interface FakeWebhook {
  id: string;
  token: string;
  channel_id: string;
  guild_id: string;
  name: string;
  type: 1;
  application_id: string | null;
}

/** An interaction the fake dispatched, with what the bot answered. */
export interface FakeInteraction {
  id: string;
  token: string;
  payload: Record<string, unknown>;
  /** Interaction callbacks in order (type 4 reply, 5 deferred, 6 deferred update, 7 update…). */
  callbacks: { type: number; data?: Record<string, unknown> }[];
  /** The original response message (after a type 4/5 callback), edited by PATCH @original. */
  original?: FakeMessage;
  followUps: FakeMessage[];
}

/** An application command as stored after a bulk overwrite. */
export type FakeCommand = Record<string, unknown> & { id: string; name: string };

/** The whole fake world. */
export interface FakeDiscordState {
  bot: FakeUser;
  applicationId: string;
  /** Each guild with its preferred locale (the guild_locale of its interactions; default en-US). */
  guilds: Map<string, { id: string; name: string; owner_id: string; locale?: string }>;
  channels: Map<string, FakeChannel>;
  messages: Map<string, FakeMessage[]>;
  webhooks: Map<string, FakeWebhook>;
  /** Key `global` or a guild id. */
  commands: Map<string, FakeCommand[]>;
  interactions: Map<string, FakeInteraction>;
  /** Uploaded attachments served under /attachments/…. */
  files: Map<string, { name: string; body: Buffer }>;
  /** How long a nonce is remembered for enforce_nonce (Discord: "the past few minutes"). */
  nonceWindowMs: number;
  snowflake(): string;
}

const DISCORD_EPOCH = 1_420_070_400_000n;

/** A fresh world with a bot user; guilds and channels are added by the test. */
export function createFakeDiscordState(): FakeDiscordState {
  let increment = 0n;
  const snowflake = () => (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (increment++ & 0xfffn)).toString();
  const applicationId = snowflake();
  return {
    bot: { id: applicationId, username: 'SciPop', global_name: null, discriminator: '0', avatar: null, bot: true },
    applicationId,
    guilds: new Map(),
    channels: new Map(),
    messages: new Map(),
    webhooks: new Map(),
    commands: new Map(),
    interactions: new Map(),
    files: new Map(),
    nonceWindowMs: 5 * 60_000,
    snowflake,
  };
}

/** A channel as the API returns it (without the fake's bookkeeping). */
export function channelJson(channel: FakeChannel): Record<string, unknown> {
  const { botDenied: _denied, ...rest } = channel;
  return { ...rest, nsfw: false, permission_overwrites: [], rate_limit_per_user: 0, last_message_id: null, flags: 0 };
}

/** A message as the API returns it. */
export function messageJson(message: FakeMessage): Record<string, unknown> {
  const { allowedMentions: _allowed, ...rest } = message;
  return rest;
}
