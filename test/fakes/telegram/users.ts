import { chatJson, messageJson, type FakeMessage, type FakeState, type FakeUser, type MemberStatus } from './state';

/** What people in the chats do, turned into the updates the bot receives. */
export interface UserActions {
  /** A person sends a text (commands get their `bot_command` entity); returns the message. */
  say(chatId: number, user: FakeUser, text: string, extra?: { replyTo?: number; threadId?: number }): FakeMessage;
  /** A person sends a file, with an optional caption (`/import`). */
  sendFile(chatId: number, user: FakeUser, fileName: string, content: string | Buffer, caption?: string): FakeMessage;
  /** A person presses an inline button under a bot message; returns the callback query id. */
  press(chatId: number, user: FakeUser, messageId: number, data: string): string;
  /** The bot is removed from (or added back to) a chat by `by`: its status and a `my_chat_member` update. */
  setBotStatus(chatId: number, status: MemberStatus, by: FakeUser): void;
  /**
   * A group becomes a supergroup with a new id: the old id answers 400 with `migrate_to_chat_id`.
   * With `announce`, the bot also gets the service message Telegram posts in the old group.
   */
  migrate(chatId: number, newId: number, announce?: boolean): void;
  /** A user of the world (not the bot). */
  user(id: number, name?: string): FakeUser;
}

let fileSeq = 0;
let querySeq = 0;

/** User actions over the fake's state; `push` queues an update for getUpdates. */
export function createUserActions(state: FakeState, push: (update: Record<string, unknown>) => void): UserActions {
  const chatOf = (id: number) => {
    const chat = state.chats.get(id);
    if (!chat) throw new Error(`fake Telegram: no chat ${id}`);
    return chat;
  };
  const post = (
    chatId: number,
    user: FakeUser,
    body: Partial<FakeMessage> & Pick<FakeMessage, 'kind' | 'text' | 'entities'>,
  ) => {
    const chat = chatOf(chatId);
    const now = Date.now();
    const message: FakeMessage = {
      message_id: chat.nextMessageId++,
      chat_id: chatId,
      from: user,
      date: Math.floor(now / 1000),
      at: now,
      edits: 0,
      ...body,
    };
    state.messages.push(message);
    push({ [chat.type === 'channel' ? 'channel_post' : 'message']: messageJson(state, message) });
    return message;
  };
  const commandEntities = (text: string) => {
    const m = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(text);
    return m ? [{ type: 'bot_command', offset: 0, length: m[0].length }] : [];
  };
  return {
    user: (id, name) => ({ id, is_bot: false, first_name: name ?? `User ${id}`, username: `user${id}` }),
    say: (chatId, user, text, extra = {}) =>
      post(chatId, user, {
        kind: 'text',
        text,
        entities: commandEntities(text),
        ...(extra.replyTo !== undefined ? { reply_to_message_id: extra.replyTo } : {}),
        ...(extra.threadId !== undefined ? { message_thread_id: extra.threadId } : {}),
      }),
    sendFile: (chatId, user, fileName, content, caption) => {
      const file_id = `upload-${++fileSeq}`;
      const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
      state.files.set(file_id, {
        file_id,
        file_unique_id: `u-${file_id}`,
        file_path: `documents/file_${fileSeq}_${fileName}`,
        content: bytes,
      });
      return post(chatId, user, {
        kind: 'document',
        text: caption ?? '',
        entities: caption ? commandEntities(caption) : [],
        document: { file_id, file_name: fileName, content: bytes },
      });
    },
    press: (chatId, user, messageId, data) => {
      const message = state.messages.find((m) => m.chat_id === chatId && m.message_id === messageId);
      if (!message) throw new Error(`fake Telegram: no message ${messageId} in ${chatId}`);
      const id = `cbq-${++querySeq}`;
      state.callbackQueries.set(id, { answered: false });
      push({
        callback_query: { id, from: user, chat_instance: `ci-${chatId}`, data, message: messageJson(state, message) },
      });
      return id;
    },
    setBotStatus: (chatId, status, by) => {
      const chat = chatOf(chatId);
      const old = chat.botStatus;
      chat.botStatus = status;
      push({
        my_chat_member: {
          chat: chatJson(chat),
          from: by,
          date: Math.floor(Date.now() / 1000),
          old_chat_member: { status: old, user: state.bot },
          new_chat_member: { status, user: state.bot, ...(status === 'kicked' ? { until_date: 0 } : {}) },
        },
      });
    },
    migrate: (chatId, newId, announce = false) => {
      const chat = chatOf(chatId);
      if (announce) {
        const by = { id: 1, is_bot: false, first_name: 'Owner' };
        push({
          message: {
            message_id: chat.nextMessageId++,
            date: Math.floor(Date.now() / 1000),
            chat: chatJson(chat),
            from: by,
            migrate_to_chat_id: newId,
          },
        });
      }
      const next = {
        ...chat,
        id: newId,
        type: 'supergroup' as const,
        members: new Map(chat.members),
        topics: new Set(chat.topics),
        nextMessageId: 1,
      };
      delete next.migratedTo;
      state.chats.set(newId, next);
      chat.migratedTo = newId;
    },
  };
}
