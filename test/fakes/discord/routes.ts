import { randomBytes } from 'node:crypto';
import {
  ApiError,
  channelOr404,
  createMessage,
  editMessage,
  errors,
  messageOr404,
  requirePermissions,
} from './messages';
import type { Route, RouteAnswer, RouteContext } from './route-types';
import { channelJson, messageJson, type FakeMessage } from './state';
import { createInteractionRoutes } from './routes-interactions';
import { DISCORD_LIMITS, validateCommands } from './validate';

export type { Route, RouteAnswer, RouteContext, RouteRequest } from './route-types';

const ok = (body: unknown, status = 200): RouteAnswer => ({ status, body });

/** Every route the fake serves, in Discord's shapes. */
export function createRoutes(ctx: RouteContext): Route[] {
  const { state } = ctx;
  const created = (message: FakeMessage) => {
    ctx.onCreate?.(message);
    return ok(messageJson(message));
  };

  return [
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: true,
      handle: () =>
        ok({
          url: ctx.gatewayUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        }),
    },
    { method: 'GET', pattern: '/gateway', auth: false, handle: () => ok({ url: ctx.gatewayUrl() }) },
    { method: 'GET', pattern: '/users/@me', auth: true, handle: () => ok(state.bot) },
    {
      method: 'GET',
      pattern: '/applications/@me',
      auth: true,
      handle: () => ok({ id: state.applicationId, name: state.bot.username, bot_public: true, flags: 0 }),
    },
    {
      method: 'GET',
      pattern: '/channels/:id',
      auth: true,
      handle: ({ params }) => ok(channelJson(channelOr404(state, params[0]!))),
    },
    {
      method: 'GET',
      pattern: '/channels/:id/messages',
      auth: true,
      major: 0,
      handle: ({ params, query }) => {
        const channel = channelOr404(state, params[0]!);
        requirePermissions(channel, ['readMessageHistory']);
        const limit = Math.min(100, Number(query.get('limit') ?? 50));
        const list = [...(state.messages.get(channel.id) ?? [])].reverse().slice(0, limit);
        return ok(list.map(messageJson));
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:id/messages',
      auth: true,
      major: 0,
      limited: true,
      handle: ({ params, body }) => created(createMessage(state, params[0]!, body).message),
    },
    {
      method: 'GET',
      pattern: '/channels/:id/messages/:mid',
      auth: true,
      major: 0,
      handle: ({ params }) => ok(messageJson(messageOr404(state, params[0]!, params[1]!))),
    },
    {
      method: 'PATCH',
      pattern: '/channels/:id/messages/:mid',
      auth: true,
      major: 0,
      limited: true,
      handle: ({ params, body }) => {
        const message = messageOr404(state, params[0]!, params[1]!);
        if (message.author.id !== state.bot.id)
          throw new ApiError(403, { message: 'Cannot edit a message authored by another user', code: 50005 });
        return ok(messageJson(editMessage(message, body)));
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:id/messages/:mid/crosspost',
      auth: true,
      major: 0,
      limited: true,
      handle: ({ params }) => {
        const channel = channelOr404(state, params[0]!);
        if (channel.type !== 5)
          throw new ApiError(400, { message: 'Cannot execute action on this channel type', code: 50024 });
        const message = messageOr404(state, channel.id, params[1]!);
        if (message.author.id !== state.bot.id) requirePermissions(channel, ['manageMessages']);
        if (message.flags & 1) throw errors.alreadyCrossposted();
        message.flags |= 1;
        return ok(messageJson(message));
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:id/threads',
      auth: true,
      major: 0,
      limited: true,
      handle: ({ params, body }) => {
        const forum = channelOr404(state, params[0]!);
        if (forum.type !== 15)
          throw new ApiError(400, { message: 'Only forum threads are supported by the fake', code: 50024 });
        requirePermissions(forum, ['sendMessages']);
        const name = String(body.name ?? '');
        if (!name || [...name].length > DISCORD_LIMITS.threadName)
          throw new ApiError(400, {
            message: 'Invalid Form Body',
            code: 50035,
            errors: {
              name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] },
            },
          });
        const tags = (body.applied_tags as string[] | undefined) ?? [];
        if (
          tags.length > DISCORD_LIMITS.appliedTags ||
          tags.some((t) => !forum.available_tags?.some((a) => a.id === t))
        ) {
          throw new ApiError(400, {
            message: 'Invalid Form Body',
            code: 50035,
            errors: { applied_tags: { _errors: [{ code: 'INVALID', message: 'Unknown tag' }] } },
          });
        }
        const id = state.snowflake();
        const thread = {
          id,
          type: 11,
          guild_id: forum.guild_id,
          name,
          position: 0,
          parent_id: forum.id,
          applied_tags: tags,
          owner_id: state.bot.id,
          message_count: 0,
          botDenied: new Set(forum.botDenied),
          thread_metadata: {
            archived: false,
            auto_archive_duration: 4320,
            locked: false,
            archive_timestamp: new Date().toISOString(),
          },
        };
        state.channels.set(id, thread);
        const first = createMessage(state, id, (body.message as Record<string, unknown>) ?? {}, { id }).message;
        ctx.onCreate?.(first);
        return ok({ ...channelJson(thread), message: messageJson(first) }, 201);
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:id/threads/active',
      auth: true,
      major: 0,
      handle: ({ params }) => {
        const threads = [...state.channels.values()].filter(
          (c) => c.guild_id === params[0] && c.thread_metadata && !c.thread_metadata.archived,
        );
        return ok({ threads: threads.map(channelJson), members: [] });
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:id/webhooks',
      auth: true,
      major: 0,
      handle: ({ params, body }) => {
        const channel = channelOr404(state, params[0]!);
        requirePermissions(channel, ['manageWebhooks']);
        const hook = {
          id: state.snowflake(),
          token: randomBytes(24).toString('base64url'),
          channel_id: channel.id,
          guild_id: channel.guild_id,
          name: String(body.name ?? 'Webhook'),
          type: 1 as const,
          application_id: state.applicationId,
        };
        state.webhooks.set(hook.id, hook);
        return ok({ ...hook, user: state.bot });
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:id/webhooks',
      auth: true,
      major: 0,
      handle: ({ params }) => {
        const channel = channelOr404(state, params[0]!);
        requirePermissions(channel, ['manageWebhooks']);
        return ok(
          [...state.webhooks.values()]
            .filter((w) => w.channel_id === channel.id)
            .map((w) => ({ ...w, user: state.bot })),
        );
      },
    },
    {
      method: 'DELETE',
      pattern: '/webhooks/:id',
      auth: true,
      major: 0,
      handle: ({ params }) => {
        const hook = state.webhooks.get(params[0]!);
        if (!hook) throw errors.unknownWebhook();
        requirePermissions(channelOr404(state, hook.channel_id), ['manageWebhooks']);
        state.webhooks.delete(hook.id);
        return { status: 204 };
      },
    },
    ...(['/applications/:app/commands', '/applications/:app/guilds/:guild/commands'] as const).flatMap(
      (pattern): Route[] => {
        const key = (params: string[]) => params[1] ?? 'global';
        return [
          {
            method: 'PUT',
            pattern,
            auth: true,
            major: 0,
            handle: ({ params, body }) => {
              if (params[0] !== state.applicationId)
                throw new ApiError(403, { message: 'Missing Access', code: 50001 });
              if (params[1] && !state.guilds.has(params[1]))
                throw new ApiError(403, { message: 'Missing Access', code: 50001 });
              const invalid = validateCommands(body);
              if (invalid) throw new ApiError(400, invalid);
              const list = (body as unknown as Record<string, unknown>[]).map((c) => ({
                ...c,
                id: state.snowflake(),
                application_id: state.applicationId,
                version: state.snowflake(),
                ...(params[1] ? { guild_id: params[1] } : {}),
              }));
              state.commands.set(key(params), list as never);
              return ok(list);
            },
          },
          {
            method: 'GET',
            pattern,
            auth: true,
            major: 0,
            handle: ({ params }) => ok(state.commands.get(key(params)) ?? []),
          },
        ];
      },
    ),
    ...createInteractionRoutes(ctx),
  ];
}
