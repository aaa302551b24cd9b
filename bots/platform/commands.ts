import { errorMessage } from '../../shared/errors';
import { chatLangOf, DEFAULT_CHAT_LANG, type ChatLang } from '../../shared/i18n/lang';
import { translate, type MessageKey, type MessageParams } from '../../shared/i18n/translate';
import type { Fetcher } from '../engine/fetch-types';
import type { DashboardLinks } from '../dashboard/sign-in';
import type { EngineLogger, FeedParser } from '../engine/types';
import type { TermService } from '../glossary/term-service';
import type { Channel, Delivery, Store } from '../store/types';
import type { Scope } from '../tenancy/scope';

/**
 * Who may use a command: everyone; the place's moderators (operators, and the moderators of a
 * destination here: shared/curation/roles.ts); or the network's operators alone. Each adapter
 * decides who they are and refuses the rest. `editors`: moderators and the glossary's editors, who
 * are named by id or by an editors' chat and need not moderate a destination; adapters let
 * everyone through to the command, which decides (bots/glossary/term-chat.ts).
 */
export type Access = 'everyone' | 'moderator' | 'operator' | 'editors';

/** Whether an adapter lets everyone through to a command of this access (the command may still refuse). */
export const opensToEveryone = (access: Access): boolean => access === 'everyone' || access === 'editors';

/** One argument of a command: a slash-command option on Discord, a word of the message on Telegram. */
export interface ArgSpec {
  name: string;
  /** Its one-line help, a catalogue key (shared/i18n/catalogue). */
  description: MessageKey;
  /**
   * `text`: a word (the last text argument takes the rest of the line); `file`: an upload; `flag`:
   * a yes/no option where the platform has them (Discord: a Boolean option, false when left out),
   * left undefined where it has not (Telegram, the console).
   */
  kind: 'text' | 'file' | 'flag';
  required?: boolean;
  /** The values allowed (Discord shows them as choices). */
  choices?: readonly string[];
}

/** A file the member sent with the command. */
export interface ChatFile {
  name: string;
  size: number;
  /** The file's text; throws a {@link CommandError} when the platform does not give it. */
  read(): Promise<string>;
}

/** A button under a reply: pressing it runs the action `action` with `data` (keep it short: Telegram allows 64 bytes in all). */
export interface ChatButton {
  /** What the button says (from the catalogue: `say(ctx, …)`). */
  label: string;
  action: string;
  data: string;
  style?: 'primary' | 'success' | 'danger' | 'secondary';
}

/** What a command answers: text, and maybe buttons under it or a file with it. */
export interface Reply {
  text: string;
  /**
   * A question: the member answers by replying to it (Telegram's forced reply), and the answer goes
   * to the command's `answers` with this text. Only where `ctx.asks` is true.
   */
  ask?: boolean;
  /**
   * Only the member may see it: Telegram sends it in the member's private chat with the bot (and
   * says where it went, or how to open that chat); Discord's answers are private already.
   */
  privately?: boolean;
  buttons?: ChatButton[][];
  file?: { name: string; data: Uint8Array };
}

/** Where a command was given: a chat, group or channel; its id as the platform writes it. */
export interface ChatPlace {
  id: string;
  kind: 'private' | 'group' | 'channel';
  title?: string;
}

/** Who gave the command: the platform's user id and a name to show in logs and replies. */
export interface ChatUser {
  id: string;
  name: string;
}

/** A command's arguments by name; a missing optional argument is undefined. */
export type CommandArgs = Record<string, string | boolean | ChatFile | undefined>;

/** What a command handler sees of the chat: the adapter builds one per command or button press. */
export interface CommandContext {
  /** The platform's name: `telegram`, `discord`, `console`. */
  platform: string;
  /**
   * The language the replies speak (`say(ctx, key)`): the language of the destination posting here,
   * else the platform's for this place (`locale`). `dispatch` sets it before the command runs.
   */
  lang?: ChatLang;
  /** The platform's language hint: Telegram's language_code of the member, Discord's guild locale. */
  locale?: string | null;
  place: ChatPlace;
  /** Null where the platform does not say (a post in a Telegram channel). */
  user: ChatUser | null;
  /** Answers the member (privately where the platform can); long text is split by the adapter. */
  reply(reply: string | Reply): Promise<void>;
  /** How a member types a command here, for hints: `/sources` on Telegram, `/scipop sources` on Discord. */
  command(name: string, args?: Record<string, string>): string;
  /** Inline code and bare links as this platform shows them without previews. */
  code(text: string): string;
  link(url: string): string;
  /** Whether the member can answer a question (`Reply.ask`) by replying to it here. */
  asks?: boolean;
  /** Restarts posting to this place after the platform refused it; null when it was not paused. */
  resumePosting?(): Promise<number | null>;
  /** Who acts and which channels are here, as the platform knows them (bots/tenancy/scope.ts). */
  scope(): Promise<Scope>;
  /**
   * Whether the member moderates `place`, named as a config names places on this platform
   * (Telegram: a chat id, an administrator of it; Discord: a server id, Manage Server in it), when
   * the command was given there, served by the network or not (the glossary's editors' chat).
   */
  moderatesPlace?(place: string): Promise<boolean>;
  /**
   * The destinations that post into this very place. `scope().here` can be wider: on Discord, a
   * server's moderator typing outside a destination has the server's destinations there.
   */
  destinationsHere(): Promise<Channel[]>;
  /** What replies call this place: `chat` (Telegram, the console) or `channel` (Discord). */
  placeName: string;
  /** A value the member typed, shown back so its ends show: `“crypto”` in Telegram's plain text, inline code elsewhere. */
  quote(text: string): string;
  /** Tells the member a slow step has begun (`Checking URL …`); the next reply may take its place. */
  progress?(text: string): Promise<void>;
  /**
   * This place as a new destination (its channel id, sink, target and title), where an operator's
   * `add` may make one of it: Telegram's groups and topics. Absent or null: it cannot.
   */
  newDestination?(): Pick<Channel, 'id' | 'sink' | 'target' | 'title' | 'lang'> | null;
  /**
   * This place as a destination a moderator's `subscribe` makes (speaking the platform's language
   * for the place: Telegram's adding member's, Discord's server's), or why it cannot be one (a
   * private chat, a voice channel). Absent: the platform makes none from the chat.
   */
  asDestination?(): Pick<Channel, 'id' | 'sink' | 'target' | 'title' | 'lang'> | string;
  /** What `status` adds that only the platform knows (bots/sources/status.ts). */
  status?(scope: Scope): Promise<PlatformStatus>;
  /**
   * Answers a pressed button with a short notice (Telegram's callback answer; an alert when
   * `alert`). Absent: the platform has none, and a refusal is a reply.
   */
  notice?(text: string, alert?: boolean): Promise<void>;
  /**
   * Adds `line` under the text of the message whose button was pressed and takes its buttons away
   * (Telegram edits it, Discord updates it), so the message says how it was decided. Absent where
   * no button was pressed.
   */
  closePressed?(line: string): Promise<void>;
  /**
   * Opens a form (Discord's modal) whose values go to the command `command`'s `forms.submit`: only
   * as the first answer to a button press. Absent where the platform has no forms.
   */
  openForm?(command: string, form: ChatForm): Promise<void>;
  /** The approval queue's platform parts (bots/curation/queue-chat.ts); each one absent takes the neutral default. */
  queue?: QueuePlatform;
}

/** What the platform adds to `/queue` and its buttons. */
export interface QueuePlatform {
  /** The held posts `/queue` counts (default: those of the actor's destinations, oldest first, at most 100). */
  held?(scope: Scope): Promise<Delivery[]>;
  /** How many of them `/queue` shows, the oldest first (default 10). */
  shown?: number;
  /** Shows them elsewhere instead (Discord's moderators' channel): the answer, or null to show them here. */
  elsewhere?(scope: Scope, held: number): Promise<string | null>;
  /** Shows one held post with its buttons (Telegram: the HTML preview; Discord: the embed). Default: its title. */
  show?(row: Delivery, buttons: ChatButton[][]): Promise<void>;
  /** Who decides, as a refusal names them after `this post’s channel moderators` (Discord: `(Manage Server in its server)`). */
  deciders?: string;
  /** Runs right before a decision is stored (Discord: takes the post off the moderators'-channel queue first). */
  deciding?(id: string): Promise<void>;
  /** Shows a decision on the message whose button was pressed (default: the verdict as a reply). */
  decided?(decision: QueueDecision): Promise<void>;
}

/** A decision on a held post, as a queue button made it. */
export interface QueueDecision {
  id: string;
  approve: boolean;
  /** False: someone had decided already. */
  decided: boolean;
  /** The delivery now (undefined: no longer in the outbox). */
  row: Delivery | undefined;
  /** The neutral verdict: `✅ Approved by @alice`, `Already rejected.` */
  verdict: string;
}

/** The platform's part of `status`. */
export interface PlatformStatus {
  /** How a moderator's first line names this place's sources (`this chat uses`); `used here` when absent. */
  sourcesHere?: string;
  /** Destinations the platform refused to post to, those the actor may see; `where` as the platform names it. */
  paused: readonly { where: string; reason: string }[];
  /** Lines of its own, last (Telegram: the last posts here; Discord: the moderators' channel). */
  more: readonly string[];
}

/** What the network gives every neutral command (the platforms pass their own options through). */
export interface CommandDeps {
  store: Store;
  fetcher: Pick<Fetcher, 'fetch'>;
  parse: FeedParser;
  /** The glossary's explanation of a term, in the channel's language when given (`/explain`). */
  explain(term: string, lang?: ChatLang): string | null;
  log: EngineLogger;
  now(): number;
  channelsChanged?: () => Promise<boolean>;
  /** The community glossary's /term, when the network runs one. */
  term?: TermService;
  /** The moderators' dashboard's sign-in links, when the network serves it (`/dashboard`). */
  dashboard?: DashboardLinks;
}

/** A chat command defined once, platform-neutral; each adapter maps it to its transport. */
export interface ChatCommand {
  name: string;
  /** One line, as command menus and /help show it: a catalogue key (shared/i18n/catalogue). */
  description: MessageKey;
  access: Access;
  /** Also a command of its own where a platform groups the others (Discord's `/scipop …`, shown to moderators only). */
  standalone?: boolean;
  args: readonly ArgSpec[];
  run(ctx: CommandContext, args: CommandArgs, deps: CommandDeps): Promise<void>;
  /**
   * A member's answer to one of this command's questions (`Reply.ask`): `question` is the text
   * they replied to, which holds all the state (whichever worker takes the reply can go on).
   */
  answers?: {
    /** Which questions are this command's. */
    question: RegExp;
    run(ctx: CommandContext, question: string, answer: string, deps: CommandDeps): Promise<void>;
  };
  /**
   * A form the member fills in at once, where the platform has them (Discord's modals): `open` says
   * whether these arguments want one (null: run the command as usual); the member's values go to
   * `submit` with the form's `id`.
   */
  forms?: {
    open(ctx: CommandContext, args: CommandArgs, deps: CommandDeps): Promise<ChatForm | null>;
    submit(ctx: CommandContext, id: string, values: Record<string, string>, deps: CommandDeps): Promise<void>;
  };
}

/** A form of a few text fields (Discord allows five, titles and labels of 45 characters). */
export interface ChatForm {
  /** Comes back with the values: the form's state (keep it under 80 characters). */
  id: string;
  title: string;
  fields: { name: string; label: string; long?: boolean; required?: boolean; max?: number; placeholder?: string }[];
}

/** What a button runs when pressed. */
export interface ChatAction {
  name: string;
  access: Access;
  /**
   * Buttons of this action carry `WIRE:DATA` instead of `x:NAME:DATA` (the queue's `q:`, as its
   * buttons already posted in chats were written, so they keep working).
   */
  wire?: string;
  run(ctx: CommandContext, data: string, deps: CommandDeps): Promise<void>;
}

/** A failure the member should read as it is ("Telegram did not give me the file"), not as "something went wrong". */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** A button's data as the adapters send it: `x:NAME:DATA`, or `WIRE:DATA` for an action with a wire prefix. */
export function buttonData(button: ChatButton, actions: readonly ChatAction[]): string {
  const wire = actions.find((a) => a.name === button.action)?.wire;
  return wire ? `${wire}:${button.data}` : `x:${button.action}:${button.data}`;
}

/**
 * The action a button's data names, and its data; null when it names none. `unknown` is true for
 * `x:…` data whose action is gone (an old button: "This button no longer works").
 */
export function actionOfButton(
  data: string,
  actions: readonly ChatAction[],
): { action: ChatAction; data: string } | { action: null; unknown: boolean } {
  const m = /^x:([\w-]+):(.*)$/s.exec(data);
  if (m) {
    const action = actions.find((a) => a.name === m[1]);
    return action ? { action, data: m[2] ?? '' } : { action: null, unknown: true };
  }
  const action = actions.find((a) => a.wire && data.startsWith(`${a.wire}:`));
  return action ? { action, data: data.slice(action.wire!.length + 1) } : { action: null, unknown: false };
}

/** Declares a command (typed, nothing more). */
export function defineCommand(command: ChatCommand): ChatCommand {
  return command;
}

/** Declares a button action (typed, nothing more). */
export function defineAction(action: ChatAction): ChatAction {
  return action;
}

/**
 * Runs a command or action for an adapter: checks access with the adapter's `allowed` (which
 * answers a refusal itself), and answers any failure, so a member never waits on silence.
 */
export async function dispatch(
  ctx: CommandContext,
  entry: { name: string; access: Access },
  allowed: (access: Access) => Promise<boolean>,
  run: () => Promise<void>,
  log: EngineLogger,
): Promise<void> {
  try {
    ctx.lang ??= await replyLang(ctx);
    if (!(await allowed(entry.access))) return;
    await run();
  } catch (error) {
    if (error instanceof CommandError) return void (await ctx.reply(error.message).catch(() => undefined));
    log.error({ platform: ctx.platform, command: entry.name, err: errorMessage(error) }, 'a chat command failed');
    await ctx.reply(say(ctx, 'error.internal')).catch(() => undefined);
  }
}

/**
 * The language replies speak in a place: that of the destinations posting there (English where none
 * was chosen, like their posts); elsewhere (a private chat) the platform's hint, the member's own.
 */
export async function replyLang(ctx: Pick<CommandContext, 'destinationsHere' | 'locale'>): Promise<ChatLang> {
  const here = await ctx.destinationsHere().catch(() => []);
  if (here.length > 0) return here.find((c) => c.lang)?.lang ?? DEFAULT_CHAT_LANG;
  return chatLangOf(ctx.locale);
}

/** A catalogue text in the language of the member's place (`ctx.lang`; English until dispatch sets it). */
export function say(ctx: { lang?: ChatLang }, key: MessageKey, params?: MessageParams): string {
  return translate(ctx.lang ?? 'en', key, params);
}

/** Sentences as one paragraph: a space between them in English, none in Chinese. */
export function sentences(ctx: { lang?: ChatLang }, parts: readonly string[]): string {
  return parts.filter(Boolean).join(ctx.lang === 'zh-Hans' ? '' : ' ');
}

/** What replies call this place (`chat`, `channel`), in its language. */
export function placeWord(ctx: Pick<CommandContext, 'lang' | 'placeName'>): string {
  return say(ctx, ctx.placeName === 'channel' ? 'place.channel' : 'place.chat');
}

/** Splits a command line's text into its text arguments: one word each, the last takes the rest. */
export function parseTextArgs(specs: readonly ArgSpec[], text: string): CommandArgs {
  const texts = specs.filter((s) => s.kind === 'text');
  const words = text.trim().split(/\s+/).filter(Boolean);
  const out: CommandArgs = {};
  texts.forEach((spec, i) => {
    const value = i === texts.length - 1 ? words.slice(i).join(' ') : words[i];
    if (value) out[spec.name] = value;
  });
  return out;
}

/** The text of an argument ('' when missing or a file). */
export const textArg = (args: CommandArgs, name: string): string => {
  const v = args[name];
  return typeof v === 'string' ? v.trim() : '';
};

/** A flag argument: true or false where the platform has flags, undefined where it has not. */
export const flagArg = (args: CommandArgs, name: string): boolean | undefined => {
  const v = args[name];
  return typeof v === 'boolean' ? v : undefined;
};
