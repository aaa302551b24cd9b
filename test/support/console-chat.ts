import { CHAT_ACTIONS, CHAT_COMMANDS } from '../../bots/platform/command-set';
import {
  dispatch,
  parseTextArgs,
  type Access,
  type ChatAction,
  type ChatButton,
  type ChatCommand,
  type CommandArgs,
  type CommandContext,
  type CommandDeps,
  type Reply,
  say,
} from '../../bots/platform/commands';
import { refusalOf } from '../../bots/tenancy/scope';

/** A file a console member sends with a command. */
export interface ConsoleFile {
  name: string;
  text: string;
}

/** What the console chat's place is and who moderates it. */
export interface ConsoleChatOptions {
  place?: string;
  /** A private chat with the bot rather than a group. */
  private?: boolean;
  moderators: readonly string[];
  /** The ids of the stored channels that post into this place (none by default). */
  destinations?: readonly string[];
  /** Posting to this place was paused by the platform (as after a 403), with this many posts waiting. */
  pausedPosts?: number;
  commands?: readonly ChatCommand[];
  actions?: readonly ChatAction[];
}

/** A third chat platform, driven from a test: lines in, replies out. It maps every neutral command and button. */
export interface ConsoleChat {
  /** Every command name this chat answers. */
  readonly commands: readonly string[];
  /** Types a line (`/pause abc`) as `user`, maybe with a file; resolves to the replies it got. */
  say(user: string, line: string, file?: ConsoleFile): Promise<Reply[]>;
  /** Presses a button of an earlier reply as `user`. */
  press(user: string, button: ChatButton): Promise<Reply[]>;
  /** Replies to an earlier question (a reply with `ask`) as `user`. */
  answer(user: string, question: Reply, text: string): Promise<Reply[]>;
}

/** Builds the console chat over the network's command deps. */
export function createConsoleChat(deps: CommandDeps, options: ConsoleChatOptions): ConsoleChat {
  const commands = options.commands ?? CHAT_COMMANDS;
  const actions = options.actions ?? CHAT_ACTIONS;
  let paused = options.pausedPosts;
  const placeId = options.place ?? 'console';
  const destinations = async () =>
    (await deps.store.listChannels()).filter((c) => options.destinations?.includes(c.id) ?? false);

  const contextFor = (user: string, replies: Reply[]): CommandContext => ({
    platform: 'console',
    place: { id: placeId, kind: options.private ? 'private' : 'group', title: 'Console' },
    user: { id: user, name: user },
    reply: async (reply) => void replies.push(typeof reply === 'string' ? { text: reply } : reply),
    asks: true,
    command: (name, args) => [`/${name}`, ...Object.values(args ?? {})].join(' '),
    code: (text) => `\`${text}\``,
    link: (url) => url,
    placeName: 'chat',
    quote: (text) => `\`${text}\``,
    destinationsHere: destinations,
    moderatesPlace: async (place) => place === placeId && options.moderators.includes(user),
    // The console's moderators are the network's operators; here are the destinations it was given.
    scope: async () => {
      const here = new Set((await destinations()).map((c) => c.id));
      const all = (await deps.store.listChannels()).map((channel) => ({
        id: channel.id,
        platform: channel.sink,
        place: here.has(channel.id) ? placeId : null,
        channel,
      }));
      return {
        actor: { platform: 'console', userId: user, operator: options.moderators.includes(user), places: [] },
        here: all.filter((c) => c.place === placeId),
        all,
      };
    },
    resumePosting: async () => {
      const moved = paused ?? null;
      paused = undefined;
      return moved;
    },
  });
  const allowedFor = (ctx: CommandContext) => async (access: Access) => {
    if (refusalOf(await ctx.scope(), access) === null) return true;
    await ctx.reply(say(ctx, 'console.moderatorsOnly'));
    return false;
  };

  return {
    commands: commands.map((c) => c.name),
    async say(user, line, file) {
      const replies: Reply[] = [];
      const m = /^\/(\w+)\s*(.*)$/s.exec(line.trim());
      const command = m ? commands.find((c) => c.name === m[1]) : undefined;
      if (!m || !command) return [{ text: `Unknown command: ${line}` }];
      const args: CommandArgs = parseTextArgs(command.args, m[2] ?? '');
      for (const spec of command.args)
        if (spec.kind === 'file' && file)
          args[spec.name] = { name: file.name, size: file.text.length, read: () => Promise.resolve(file.text) };
      const ctx = contextFor(user, replies);
      await dispatch(ctx, command, allowedFor(ctx), () => command.run(ctx, args, deps), deps.log);
      return replies;
    },
    async answer(user, question, text) {
      const replies: Reply[] = [];
      const command = question.ask ? commands.find((c) => c.answers?.question.test(question.text)) : undefined;
      if (!command) return [{ text: 'That is not a question anyone asked.' }];
      const ctx = contextFor(user, replies);
      const run = () => command.answers!.run(ctx, question.text, text, deps);
      await dispatch(ctx, command, allowedFor(ctx), run, deps.log);
      return replies;
    },
    async press(user, button) {
      const replies: Reply[] = [];
      const action = actions.find((a) => a.name === button.action);
      if (!action) return [{ text: 'This button no longer works.' }];
      // A pressed button's message, closed with a line, shows as a reply here.
      const ctx = {
        ...contextFor(user, replies),
        closePressed: async (line: string) => void replies.push({ text: line }),
      };
      await dispatch(ctx, action, allowedFor(ctx), () => action.run(ctx, button.data, deps), deps.log);
      return replies;
    },
  };
}
