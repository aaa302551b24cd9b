import type { FakeChannel, FakeDiscordState, FakeMessage, FakeUser, Permission } from './state';
import { validateMessage } from './validate';

/** An error as Discord's REST API answers it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

/** Discord's answers for the errors the fake produces. */
export const errors = {
  unknownChannel: () => new ApiError(404, { message: 'Unknown Channel', code: 10003 }),
  unknownMessage: () => new ApiError(404, { message: 'Unknown Message', code: 10008 }),
  unknownWebhook: () => new ApiError(404, { message: 'Unknown Webhook', code: 10015 }),
  unknownInteraction: () => new ApiError(404, { message: 'Unknown interaction', code: 10062 }),
  missingAccess: () => new ApiError(403, { message: 'Missing Access', code: 50001 }),
  missingPermissions: () => new ApiError(403, { message: 'Missing Permissions', code: 50013 }),
  nonText: () => new ApiError(400, { message: 'Cannot send messages in a non-text channel', code: 50008 }),
  alreadyCrossposted: () => new ApiError(400, { message: 'This message has already been crossposted.', code: 40033 }),
  alreadyAcknowledged: () => new ApiError(400, { message: 'Interaction has already been acknowledged.', code: 40060 }),
};

/** The channel, or 404 Unknown Channel; a channel the bot cannot view is 403 Missing Access. */
export function channelOr404(state: FakeDiscordState, id: string): FakeChannel {
  const channel = state.channels.get(id);
  if (!channel) throw errors.unknownChannel();
  if (channel.botDenied.has('viewChannel')) throw errors.missingAccess();
  return channel;
}

/** Throws 403 Missing Permissions when the bot lacks one of `needed` in the channel. */
export function requirePermissions(channel: FakeChannel, needed: (keyof typeof Permission)[]): void {
  if (needed.some((p) => channel.botDenied.has(p))) throw errors.missingPermissions();
}

const isThread = (type: number) => type === 10 || type === 11 || type === 12;

/** The options of one message creation. */
export interface CreateOptions {
  author?: FakeUser;
  webhookId?: string;
  /** True for bot sends: permissions are checked. Webhooks and interaction replies skip them. */
  asBot?: boolean;
  /** A deferred interaction response starts empty ("is thinking…"). */
  allowEmpty?: boolean;
  /** Ephemeral interaction replies: seen only by the member, never in the channel's history. */
  detached?: boolean;
  /** The message id (a forum post's first message has the thread's id, as on Discord). */
  id?: string;
  now?: number;
}

/**
 * Creates a message as POST /channels/:id/messages does: checks, then honours `enforce_nonce` —
 * a second create with the same nonce from the same author within the window returns the first.
 */
export function createMessage(
  state: FakeDiscordState,
  channelId: string,
  body: Record<string, unknown>,
  options: CreateOptions = {},
): { message: FakeMessage; created: boolean } {
  const channel = channelOr404(state, channelId);
  if (channel.type === 15) throw errors.nonText();
  if (options.asBot !== false && !options.webhookId) {
    requirePermissions(channel, isThread(channel.type) ? ['sendMessagesInThreads'] : ['sendMessages']);
    if ((body.embeds as unknown[] | undefined)?.length) requirePermissions(channel, ['embedLinks']);
  }
  if (isThread(channel.type) && channel.thread_metadata?.locked) throw errors.missingPermissions();
  const invalid = validateMessage(body);
  if (invalid && !(options.allowEmpty && invalid.code === 50006)) throw new ApiError(400, invalid);
  const author = options.author ?? state.bot;
  const list = state.messages.get(channelId) ?? [];
  const now = options.now ?? Date.now();
  if (body.enforce_nonce === true && body.nonce !== undefined) {
    const same = list.find(
      (m) => m.nonce === body.nonce && m.author.id === author.id && now - Date.parse(m.timestamp) < state.nonceWindowMs,
    );
    if (same) return { message: same, created: false };
  }
  if (channel.thread_metadata?.archived) channel.thread_metadata.archived = false; // sending unarchives, as on Discord
  const message: FakeMessage = {
    id: options.id ?? state.snowflake(),
    channel_id: channelId,
    guild_id: channel.guild_id,
    author,
    content: typeof body.content === 'string' ? body.content : '',
    embeds: (body.embeds as Record<string, unknown>[] | undefined)?.map((e) => ({ type: 'rich', ...e })) ?? [],
    components: (body.components as Record<string, unknown>[] | undefined) ?? [],
    attachments: (body.attachments as unknown[] | undefined) ?? [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    type: 0,
    flags: typeof body.flags === 'number' ? body.flags : 0,
    timestamp: new Date(now).toISOString(),
    edited_timestamp: null,
    ...(body.nonce !== undefined ? { nonce: body.nonce as string } : {}),
    ...(options.webhookId ? { webhook_id: options.webhookId } : {}),
    allowedMentions: body.allowed_mentions,
  };
  if (options.detached) return { message, created: true };
  list.push(message);
  state.messages.set(channelId, list);
  if (isThread(channel.type)) channel.message_count = (channel.message_count ?? 0) + 1;
  return { message, created: true };
}

/** PATCH of a message: the given keys replace the stored ones. */
export function editMessage(message: FakeMessage, body: Record<string, unknown>): FakeMessage {
  const invalid = validateMessage({
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    ...body,
  });
  if (invalid) throw new ApiError(400, invalid);
  if (typeof body.content === 'string') message.content = body.content;
  if (Array.isArray(body.embeds))
    message.embeds = (body.embeds as Record<string, unknown>[]).map((e) => ({ type: 'rich', ...e }));
  if (Array.isArray(body.components)) message.components = body.components as Record<string, unknown>[];
  if (body.allowed_mentions !== undefined) message.allowedMentions = body.allowed_mentions;
  message.edited_timestamp = new Date().toISOString();
  return message;
}

/** Finds a message in a channel, or 404 Unknown Message. */
export function messageOr404(state: FakeDiscordState, channelId: string, id: string): FakeMessage {
  const message = state.messages.get(channelId)?.find((m) => m.id === id);
  if (!message) throw errors.unknownMessage();
  return message;
}
