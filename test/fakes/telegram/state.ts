/** A Telegram user as the fake knows it. */
export interface FakeUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}

/** Chat member statuses the Bot API reports. */
export type MemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

/** A chat: private, group, supergroup (maybe a forum) or channel. */
export interface FakeChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  is_forum?: boolean;
  members: Map<number, MemberStatus>;
  /** The bot's own membership; `kicked`/`left` make sends fail with 403. */
  botStatus: MemberStatus;
  /** Set when a group became a supergroup: sends to the old id answer 400 with this id. */
  migratedTo?: number;
  /** Forum topic ids that exist. */
  topics: Set<number>;
  nextMessageId: number;
}

/** A message as the fake stored it: what readers of the chat would see. */
export interface FakeMessage {
  message_id: number;
  chat_id: number;
  from: FakeUser;
  date: number;
  /** The text or caption as parsed (entities applied), and the HTML the bot sent. */
  text: string;
  html?: string;
  entities: unknown[];
  kind: 'text' | 'photo' | 'document';
  photo?: string;
  document?: { file_id: string; file_name: string; content: Buffer };
  message_thread_id?: number;
  reply_markup?: { inline_keyboard?: { text: string; callback_data?: string; url?: string }[][] };
  link_preview_options?: { is_disabled?: boolean };
  reply_to_message_id?: number;
  /** The time the fake accepted it (ms), for rate measurements. */
  at: number;
  edits: number;
}

/** A stored file for getFile and download. */
export interface FakeFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  content: Buffer;
}

/** Everything the fake server holds. */
export interface FakeState {
  bot: FakeUser;
  chats: Map<number, FakeChat>;
  messages: FakeMessage[];
  files: Map<string, FakeFile>;
  updates: Record<string, unknown>[];
  nextUpdateId: number;
  callbackQueries: Map<string, { answered: boolean; answer?: Record<string, unknown> }>;
  commands: Map<string, { command: string; description: string }[]>;
  /** Set by setWebhook: updates are POSTed there instead of waiting for getUpdates. */
  webhook: { url: string; secretToken?: string } | null;
}

/** A fresh, empty world with one bot in it. */
export function createFakeState(bot: FakeUser): FakeState {
  return {
    bot,
    chats: new Map(),
    messages: [],
    files: new Map(),
    updates: [],
    nextUpdateId: 1,
    callbackQueries: new Map(),
    commands: new Map(),
    webhook: null,
  };
}

/** The chat as the Bot API shows it inside a Message or Update. */
export function chatJson(chat: FakeChat): Record<string, unknown> {
  const out: Record<string, unknown> = { id: chat.id, type: chat.type };
  if (chat.type === 'private') out.first_name = chat.title ?? 'User';
  else out.title = chat.title ?? `Chat ${chat.id}`;
  if (chat.is_forum) out.is_forum = true;
  return out;
}

/** A stored message in the Bot API's shape. */
export function messageJson(state: FakeState, m: FakeMessage): Record<string, unknown> {
  const chat = state.chats.get(m.chat_id)!;
  const out: Record<string, unknown> = { message_id: m.message_id, date: m.date, chat: chatJson(chat) };
  if (chat.type !== 'channel') out.from = m.from;
  if (m.kind === 'text') {
    out.text = m.text;
    if (m.entities.length > 0) out.entities = m.entities;
  } else {
    if (m.text) out.caption = m.text;
    if (m.entities.length > 0) out.caption_entities = m.entities;
    if (m.kind === 'photo')
      out.photo = [
        { file_id: `photo-${m.chat_id}-${m.message_id}`, file_unique_id: `u${m.message_id}`, width: 800, height: 600 },
      ];
    if (m.document)
      out.document = {
        file_id: m.document.file_id,
        file_unique_id: `u-${m.document.file_id}`,
        file_name: m.document.file_name,
        file_size: m.document.content.length,
      };
  }
  if (m.message_thread_id !== undefined) {
    out.message_thread_id = m.message_thread_id;
    out.is_topic_message = true;
  }
  if (m.reply_markup) out.reply_markup = m.reply_markup;
  if (m.link_preview_options) out.link_preview_options = m.link_preview_options;
  if (m.reply_to_message_id !== undefined) {
    const replied = state.messages.find((x) => x.chat_id === m.chat_id && x.message_id === m.reply_to_message_id);
    if (replied)
      out.reply_to_message = messageJson(state, { ...replied, reply_to_message_id: undefined } as FakeMessage);
  }
  return out;
}
