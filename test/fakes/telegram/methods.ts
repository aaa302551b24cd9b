import { parseTelegramHtml, visibleLength } from './html';
import { chatJson, messageJson, type FakeChat, type FakeMessage, type FakeState } from './state';

/** A Bot API error answer: the same codes, texts and `parameters` Telegram sends. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const bad = (text: string) => new ApiError(400, `Bad Request: ${text}`);
type Params = Record<string, unknown>;

/** The chat a method writes to, with the checks Telegram makes before anything else. */
export function targetChat(state: FakeState, params: Params): FakeChat {
  const raw = params.chat_id;
  const id = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  const chat = typeof id === 'number' ? state.chats.get(id) : undefined;
  if (!chat) throw bad('chat not found');
  if (chat.migratedTo !== undefined)
    throw new ApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
      migrate_to_chat_id: chat.migratedTo,
    });
  if (chat.botStatus === 'kicked' || chat.botStatus === 'left') {
    if (chat.type === 'private') throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    if (chat.type === 'channel') throw new ApiError(403, 'Forbidden: bot is not a member of the channel chat');
    if (chat.botStatus === 'left') throw new ApiError(403, `Forbidden: bot is not a member of the ${chat.type} chat`);
    throw new ApiError(403, `Forbidden: bot was kicked from the ${chat.type} chat`);
  }
  return chat;
}

/** Parses text or a caption in the requested parse mode, enforcing the length limit. */
function formatted(
  text: unknown,
  parseMode: unknown,
  limit: number,
  tooLong: string,
): { text: string; html?: string; entities: unknown[] } {
  const raw = typeof text === 'string' ? text : '';
  let out: { text: string; html?: string; entities: unknown[] } = { text: raw, entities: [] };
  if (parseMode === 'HTML') {
    const parsed = parseTelegramHtml(raw);
    if (!parsed.ok) throw bad(`can't parse entities: ${parsed.error}`);
    out = { text: parsed.text, html: raw, entities: parsed.entities };
  } else if (parseMode !== undefined) throw bad(`unsupported parse_mode`);
  if (visibleLength(out.text) > limit) throw bad(tooLong);
  return out;
}

function threadOf(chat: FakeChat, params: Params): number | undefined {
  const thread = params.message_thread_id;
  if (thread === undefined) return undefined;
  if (!chat.is_forum || !chat.topics.has(Number(thread))) throw bad('message thread not found');
  return Number(thread);
}

function store(
  state: FakeState,
  chat: FakeChat,
  params: Params,
  body: Partial<FakeMessage> & Pick<FakeMessage, 'kind' | 'text' | 'entities'>,
  now: number,
): FakeMessage {
  const thread = threadOf(chat, params);
  const message: FakeMessage = {
    message_id: chat.nextMessageId++,
    chat_id: chat.id,
    from: state.bot,
    date: Math.floor(now / 1000),
    at: now,
    edits: 0,
    ...body,
  };
  if (thread !== undefined) message.message_thread_id = thread;
  if (params.reply_markup)
    message.reply_markup = (
      typeof params.reply_markup === 'string' ? JSON.parse(params.reply_markup) : params.reply_markup
    ) as FakeMessage['reply_markup'];
  if (params.link_preview_options)
    message.link_preview_options = params.link_preview_options as FakeMessage['link_preview_options'];
  state.messages.push(message);
  return message;
}

/** Decides whether Telegram's servers could fetch a photo URL; an error text when not. */
export type PhotoCheck = (url: string) => string | null;

/** Every method the fake implements; `now` is the request's arrival time in ms. */
export function createMethods(state: FakeState, photoCheck: PhotoCheck) {
  const methods: Record<string, (params: Params, now: number) => unknown> = {
    getMe: () => ({
      ...state.bot,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    }),
    sendMessage: (params, now) => {
      const chat = targetChat(state, params);
      if (typeof params.text !== 'string' || params.text.trim() === '') throw bad('message text is empty');
      const f = formatted(params.text, params.parse_mode, 4096, 'message is too long');
      if (f.text.trim() === '') throw bad('message text is empty');
      return messageJson(state, store(state, chat, params, { kind: 'text', ...f }, now));
    },
    sendPhoto: (params, now) => {
      const chat = targetChat(state, params);
      const photo = params.photo;
      if (typeof photo !== 'string' || photo === '') throw bad('there is no photo in the request');
      const problem = photoCheck(photo);
      if (problem) throw bad(problem);
      const f = formatted(params.caption, params.parse_mode, 1024, 'message caption is too long');
      return messageJson(state, store(state, chat, params, { kind: 'photo', photo, ...f }, now));
    },
    sendDocument: (params, now) => {
      const chat = targetChat(state, params);
      const doc = params.document as { name: string; content: Buffer } | undefined;
      if (!doc || typeof doc !== 'object') throw bad('there is no document in the request');
      const f = formatted(params.caption, params.parse_mode, 1024, 'message caption is too long');
      const file_id = `doc-${chat.id}-${chat.nextMessageId}`;
      state.files.set(file_id, {
        file_id,
        file_unique_id: `u-${file_id}`,
        file_path: `documents/${file_id}-${doc.name}`,
        content: doc.content,
      });
      return messageJson(
        state,
        store(
          state,
          chat,
          params,
          { kind: 'document', document: { file_id, file_name: doc.name, content: doc.content }, ...f },
          now,
        ),
      );
    },
    editMessageText: (params) => {
      const chat = targetChat(state, params);
      const message = state.messages.find((m) => m.chat_id === chat.id && m.message_id === Number(params.message_id));
      if (!message) throw bad('message to edit not found');
      if (message.kind !== 'text') throw bad('there is no text in the message to edit');
      const f = formatted(params.text, params.parse_mode, 4096, 'message is too long');
      if (f.text.trim() === '') throw bad('message text is empty');
      const markup = params.reply_markup ? JSON.stringify(params.reply_markup) : undefined;
      if (
        f.text === message.text &&
        JSON.stringify(f.entities) === JSON.stringify(message.entities) &&
        markup === (message.reply_markup ? JSON.stringify(message.reply_markup) : undefined)
      ) {
        throw bad(
          'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
        );
      }
      Object.assign(message, f, { edits: message.edits + 1 });
      if (params.reply_markup) message.reply_markup = params.reply_markup as FakeMessage['reply_markup'];
      else delete message.reply_markup;
      return messageJson(state, message);
    },
    answerCallbackQuery: (params) => {
      const query = state.callbackQueries.get(String(params.callback_query_id));
      if (!query || query.answered) throw bad('query is too old and response timeout expired or query ID is invalid');
      query.answered = true;
      query.answer = params;
      return true;
    },
    getChatMember: (params) => {
      const raw = params.chat_id;
      const chat = state.chats.get(Number(raw));
      if (!chat) throw bad('chat not found');
      const userId = Number(params.user_id);
      const status = userId === state.bot.id ? chat.botStatus : (chat.members.get(userId) ?? 'left');
      const user = userId === state.bot.id ? state.bot : { id: userId, is_bot: false, first_name: `User ${userId}` };
      const member: Record<string, unknown> = { status, user };
      if (status === 'administrator')
        Object.assign(member, {
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_delete_messages: true,
          can_manage_video_chats: true,
          can_restrict_members: true,
          can_promote_members: false,
          can_change_info: true,
          can_invite_users: true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
        });
      if (status === 'creator') member.is_anonymous = false;
      return member;
    },
    getChat: (params) => chatJson(targetChat(state, params)),
    setMyCommands: (params) => {
      const commands = params.commands as { command: string; description: string }[] | undefined;
      if (!Array.isArray(commands) || commands.length > 100) throw bad('parameter "commands" is required');
      for (const c of commands) {
        if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw bad('BOT_COMMAND_INVALID');
        if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256)
          throw bad('BOT_COMMAND_DESCRIPTION_INVALID');
      }
      // One list per scope and language (Telegram keeps a language_code's list beside the default one).
      const lang = typeof params.language_code === 'string' && params.language_code ? `:${params.language_code}` : '';
      state.commands.set(`${JSON.stringify(params.scope ?? { type: 'default' })}${lang}`, commands);
      return true;
    },
    deleteWebhook: () => {
      state.webhook = null;
      return true;
    },
    setWebhook: (params) => {
      if (typeof params.url !== 'string' || !/^https?:\/\//.test(params.url))
        throw bad('bad webhook: An HTTPS URL must be provided for webhook');
      state.webhook = {
        url: params.url,
        ...(typeof params.secret_token === 'string' ? { secretToken: params.secret_token } : {}),
      };
      return true;
    },
    getFile: (params) => {
      const file = state.files.get(String(params.file_id));
      if (!file) throw bad('invalid file_id');
      return {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: file.content.length,
        file_path: file.file_path,
      };
    },
  };
  return methods;
}

/** Which methods send a message, so the flood limits count them. */
export const SENDING_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument']);
