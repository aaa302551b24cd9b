import { ApiError, createMessage, editMessage, errors, messageOr404 } from './messages';
import { validateModal } from './validate';
import type { Route, RouteAnswer, RouteContext } from './route-types';
import { messageJson, type FakeMessage } from './state';

const ok = (body: unknown, status = 200): RouteAnswer => ({ status, body });

/** Webhook execution, interaction callbacks and the interaction webhook (@original, follow-ups). */
export function createInteractionRoutes(ctx: RouteContext): Route[] {
  const { state } = ctx;
  const interactionByToken = (token: string) => {
    for (const i of state.interactions.values()) if (i.token === token) return i;
    throw errors.unknownWebhook();
  };
  /** Files sent as multipart become attachments whose text the test can read back. */
  const interactionMessage = (
    channelId: string,
    data: Record<string, unknown>,
    files: unknown,
    deferred = false,
  ): FakeMessage => {
    const list = (Array.isArray(files) ? files : []) as { name: string; size: number; text: string }[];
    const attachments = list.map((f) => {
      const id = state.snowflake();
      state.files.set(id, { name: f.name, body: Buffer.from(f.text, 'utf8') });
      return { id, filename: f.name, size: f.size, url: `attachment://${f.name}`, text: f.text };
    });
    return createMessage(
      state,
      channelId,
      { ...data, ...(attachments.length ? { attachments } : {}) },
      { asBot: false, allowEmpty: deferred, detached: ((Number(data.flags) || 0) & 64) !== 0 },
    ).message;
  };

  return [
    {
      method: 'POST',
      pattern: '/webhooks/:id/:token',
      auth: false,
      major: 0,
      limited: true,
      handle: ({ params, body, query }) => {
        if (params[0] === state.applicationId) {
          const interaction = interactionByToken(params[1]!);
          const message = interactionMessage(String(interaction.payload.channel_id), body, body.files);
          interaction.followUps.push(message);
          return ok(messageJson(message));
        }
        const hook = state.webhooks.get(params[0]!);
        if (!hook || hook.token !== params[1]) throw errors.unknownWebhook();
        if (!state.channels.has(hook.channel_id)) throw errors.unknownWebhook();
        const author = {
          id: hook.id,
          username: String(body.username ?? hook.name),
          global_name: null,
          discriminator: '0000',
          avatar: null,
          bot: true,
        };
        const message = createMessage(state, String(query.get('thread_id') ?? hook.channel_id), body, {
          author,
          webhookId: hook.id,
          asBot: false,
        }).message;
        ctx.onCreate?.(message);
        return query.get('wait') === 'true' ? ok(messageJson(message)) : { status: 204 };
      },
    },
    {
      method: 'PATCH',
      pattern: '/webhooks/:id/:token/messages/:mid',
      auth: false,
      major: 0,
      handle: ({ params, body }) => {
        const interaction = interactionByToken(params[1]!);
        const target =
          params[2] === '@original' ? interaction.original : interaction.followUps.find((m) => m.id === params[2]);
        if (!target) throw errors.unknownMessage();
        return ok(messageJson(editMessage(target, body)));
      },
    },
    {
      method: 'GET',
      pattern: '/webhooks/:id/:token/messages/:mid',
      auth: false,
      major: 0,
      handle: ({ params }) => {
        const interaction = interactionByToken(params[1]!);
        const target =
          params[2] === '@original' ? interaction.original : interaction.followUps.find((m) => m.id === params[2]);
        if (!target) throw errors.unknownMessage();
        return ok(messageJson(target));
      },
    },
    {
      method: 'POST',
      pattern: '/interactions/:id/:token/callback',
      auth: false,
      handle: ({ params, body, query }) => {
        const interaction = state.interactions.get(params[0]!);
        if (!interaction || interaction.token !== params[1]) throw errors.unknownInteraction();
        if (interaction.callbacks.length > 0) throw errors.alreadyAcknowledged();
        const type = Number(body.type);
        const data = (body.data as Record<string, unknown> | undefined) ?? {};
        // A modal answers only a command or a button, never another modal's submission.
        if (type === 9) {
          if (interaction.payload.type === 5)
            throw new ApiError(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
          const invalid = validateModal(data);
          if (invalid) throw new ApiError(400, invalid);
        }
        interaction.callbacks.push({ type, data });
        const channelId = String(interaction.payload.channel_id);
        if (type === 4 || type === 5)
          interaction.original = interactionMessage(
            channelId,
            type === 5 ? { content: '', flags: data.flags } : data,
            body.files,
            type === 5,
          );
        if (type === 7 || type === 6) {
          const source = interaction.payload.message as { id: string } | undefined;
          const message = source ? messageOr404(state, channelId, source.id) : undefined;
          if (message && type === 7) editMessage(message, data);
          interaction.original = message;
        }
        ctx.onCallback?.(interaction.id);
        if (query.get('with_response') === 'true') {
          return ok({
            interaction: {
              id: interaction.id,
              type: interaction.payload.type,
              response_message_id: interaction.original?.id ?? null,
              response_message_loading: type === 5,
              response_message_ephemeral: false,
            },
            resource: interaction.original ? { type, message: messageJson(interaction.original) } : { type },
          });
        }
        return { status: 204 };
      },
    },
  ];
}
