import { randomBytes } from 'node:crypto';
import { guildCreatePayload } from './gateway';
import { startFakeDiscordServer, type FakeDiscordServer, type FakeDiscordServerOptions } from './server';
import {
  channelJson,
  messageJson,
  Permission,
  type FakeChannel,
  type FakeInteraction,
  type FakeMessage,
  type FakeUser,
} from './state';

/** A member acting in a guild: who, and the permissions Discord computes for them. */
export interface FakeMember {
  user: FakeUser;
  permissions: bigint;
}

/** A slash command as a member types it: `/scipop add url:…` is `{ name: 'scipop', subcommand: 'add', options: { url } }`. */
export interface SlashInput {
  channelId: string;
  name: string;
  subcommand?: string;
  options?: Record<
    string,
    string | number | boolean | { attachment: { id: string; url: string; filename: string; size: number } }
  >;
}

/** The fake Discord with a small world and the actions of its people. */
export interface FakeDiscord extends FakeDiscordServer {
  /** A guild; `locale` is its preferred locale (Discord's guild_locale), en-US by default. */
  addGuild(name: string, locale?: string): string;
  addChannel(
    guildId: string,
    channel: {
      name: string;
      type?: number;
      tags?: string[];
      botDenied?: (keyof typeof Permission)[];
      parentId?: string;
    },
  ): FakeChannel;
  addUser(username: string): FakeUser;
  member(user: FakeUser, permissions?: bigint): FakeMember;
  /** Dispatches an application command over the gateway; resolves with the interaction once the bot answered. */
  slash(member: FakeMember, input: SlashInput): Promise<FakeInteraction>;
  /** Clicks a button of a message; resolves once the bot answered. */
  click(member: FakeMember, message: FakeMessage, customId: string): Promise<FakeInteraction>;
  /**
   * Submits the modal a command or button answered with (callback type 9), as the member filling
   * in `values` by field id; resolves once the bot answered the submission.
   */
  submitModal(member: FakeMember, opened: FakeInteraction, values: Record<string, string>): Promise<FakeInteraction>;
  /** The messages of a channel, oldest first. */
  messages(channelId: string): FakeMessage[];
  /** Waits until `predicate` returns a value, polling every 10 ms, or throws after `timeoutMs`. */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;
}

/** Everyone's permissions in a test guild: view, send, read history. */
export const MEMBER_PERMISSIONS = Permission.viewChannel | Permission.sendMessages | Permission.readMessageHistory;
/** A moderator: a member who can Manage Server. */
export const MODERATOR_PERMISSIONS = MEMBER_PERMISSIONS | Permission.manageGuild;

/** Starts the fake Discord (REST and gateway) on 127.0.0.1. */
export async function startFakeDiscord(options: FakeDiscordServerOptions = {}): Promise<FakeDiscord> {
  const server = await startFakeDiscordServer(options);
  const { state } = server;

  const waitFor = async <T>(
    predicate: () => T | undefined | null | false,
    timeoutMs = 10_000,
    what = 'condition',
  ): Promise<T> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (Date.now() > until) throw new Error(`fake Discord: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  const interact = async (
    member: FakeMember,
    channelId: string,
    type: number,
    data: Record<string, unknown>,
    message?: FakeMessage,
  ) => {
    const channel = state.channels.get(channelId)!;
    const id = state.snowflake();
    const token = randomBytes(32).toString('base64url');
    const payload: Record<string, unknown> = {
      id,
      application_id: state.applicationId,
      type,
      data,
      guild_id: channel.guild_id,
      guild: { id: channel.guild_id, locale: state.guilds.get(channel.guild_id)?.locale ?? 'en-US', features: [] },
      channel_id: channelId,
      channel: channelJson(channel),
      member: {
        user: member.user,
        roles: [],
        permissions: String(member.permissions),
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        pending: false,
        nick: null,
        avatar: null,
      },
      token,
      version: 1,
      app_permissions: String(MODERATOR_PERMISSIONS | Permission.embedLinks | Permission.attachFiles),
      locale: 'en-US',
      guild_locale: state.guilds.get(channel.guild_id)?.locale ?? 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': channel.guild_id },
      context: 0,
      attachment_size_limit: 10_485_760,
      ...(message ? { message: messageJson(message) } : {}),
    };
    const interaction: FakeInteraction = { id, token, payload, callbacks: [], followUps: [] };
    state.interactions.set(id, interaction);
    server.gateway.dispatch('INTERACTION_CREATE', payload);
    await waitFor(
      () => interaction.callbacks.length > 0,
      10_000,
      `an answer to interaction ${JSON.stringify(data).slice(0, 80)}`,
    );
    return interaction;
  };

  return {
    ...server,
    addGuild(name, locale = 'en-US') {
      const id = state.snowflake();
      state.guilds.set(id, { id, name, owner_id: state.snowflake(), locale });
      if (server.gateway.sessions() > 0) server.gateway.dispatch('GUILD_CREATE', guildCreatePayload(state, id));
      return id;
    },
    addChannel(guildId, c) {
      const type = c.type ?? 0;
      const channel: FakeChannel = {
        id: state.snowflake(),
        type,
        guild_id: guildId,
        name: c.name,
        position: state.channels.size,
        parent_id: c.parentId ?? null,
        botDenied: new Set(c.botDenied ?? []),
        ...(type === 15
          ? {
              available_tags: (c.tags ?? []).map((name) => ({
                id: state.snowflake(),
                name,
                moderated: false,
                emoji_id: null,
                emoji_name: null,
              })),
            }
          : {}),
        ...(type === 11 || type === 12 || type === 10
          ? {
              thread_metadata: {
                archived: false,
                auto_archive_duration: 1440,
                locked: false,
                archive_timestamp: new Date().toISOString(),
              },
              message_count: 0,
            }
          : {}),
      };
      state.channels.set(channel.id, channel);
      if (server.gateway.sessions() > 0)
        server.gateway.dispatch(channel.thread_metadata ? 'THREAD_CREATE' : 'CHANNEL_CREATE', channelJson(channel));
      return channel;
    },
    addUser(username) {
      return { id: state.snowflake(), username, global_name: username, discriminator: '0', avatar: null };
    },
    member: (user, permissions = MEMBER_PERMISSIONS) => ({ user, permissions }),
    slash(member, input) {
      const values = Object.entries(input.options ?? {});
      const resolved: Record<string, Record<string, unknown>> = {};
      const options = values.map(([name, value]) => {
        if (typeof value === 'object') {
          resolved.attachments = {
            ...resolved.attachments,
            [value.attachment.id]: {
              ...value.attachment,
              content_type: 'text/x-opml',
              proxy_url: value.attachment.url,
              ephemeral: false,
            },
          };
          return { name, type: 11, value: value.attachment.id };
        }
        return { name, type: typeof value === 'number' ? 4 : typeof value === 'boolean' ? 5 : 3, value };
      });
      const command =
        state.commands.get(state.channels.get(input.channelId)!.guild_id)?.find((c) => c.name === input.name) ??
        state.commands.get('global')?.find((c) => c.name === input.name);
      if (!command) throw new Error(`fake Discord: the bot registered no command /${input.name}`);
      const data = {
        id: command.id,
        name: input.name,
        type: 1,
        guild_id: state.channels.get(input.channelId)!.guild_id,
        options: input.subcommand ? [{ name: input.subcommand, type: 1, options }] : options,
        ...(Object.keys(resolved).length ? { resolved } : {}),
      };
      return interact(member, input.channelId, 2, data);
    },
    click(member, message, customId) {
      return interact(member, message.channel_id, 3, { custom_id: customId, component_type: 2 }, message);
    },
    submitModal(member, opened, values) {
      const modal = opened.callbacks.find((c) => c.type === 9)?.data;
      if (!modal) throw new Error('fake Discord: the bot answered that interaction without a modal');
      const rows = modal.components as { components: { custom_id: string }[] }[];
      return interact(member, String(opened.payload.channel_id), 5, {
        custom_id: modal.custom_id,
        components: rows.map((row) => ({
          type: 1,
          components: row.components.map((input) => ({
            type: 4,
            custom_id: input.custom_id,
            value: values[input.custom_id] ?? '',
          })),
        })),
      });
    },
    messages: (channelId) => state.messages.get(channelId) ?? [],
    waitFor,
  };
}
