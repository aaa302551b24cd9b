import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  AttachmentBuilder,
  ChannelType,
  ComponentType,
  InteractionContextType,
  MessageFlags,
  TextInputStyle,
  type APIModalInteractionResponseCallbackData,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { CHAT_ACTIONS, CHAT_COMMANDS } from '../platform/command-set';
import {
  actionOfButton,
  dispatch,
  opensToEveryone,
  type Access,
  type ChatCommand,
  type ChatForm,
  type CommandArgs,
  type CommandContext,
  type PlatformStatus,
  type Reply,
  say,
} from '../platform/commands';
import { chatLangOf } from '../../shared/i18n/lang';
import { CATALOGUES, translate, type MessageKey } from '../../shared/i18n/translate';
import type { Scope } from '../tenancy/scope';
import { buttonRows } from './buttons';
import { answer, channelsHere, MODERATOR_PERMISSION, QUIET, type DiscordCommandDeps } from './context';
import { discordQueue } from './queue';
import { discordScope } from './scope';

/**
 * A catalogue text for a command's description, in English and, through Discord's localization
 * fields, in Chinese for members whose Discord speaks Chinese (zh-CN and zh-TW both get zh-Hans).
 */
export function describedAs(key: MessageKey): {
  description: string;
  description_localizations: Record<string, string>;
} {
  const zh = translate('zh-Hans', key).slice(0, 100);
  return {
    description: translate('en', key).slice(0, 100),
    description_localizations: { 'zh-CN': zh, 'zh-TW': zh },
  };
}

/** A command's Chinese name, for Discord's name_localizations (none when the catalogue has none). */
export function namedAs(name: string): { name: string; name_localizations?: Record<string, string> } {
  const key = `name.${name}`;
  if (!(key in CATALOGUES['zh-Hans'])) return { name };
  const zh = translate('zh-Hans', key as MessageKey);
  return { name, name_localizations: { 'zh-CN': zh, 'zh-TW': zh } };
}
/** Channel kinds a destination can be (text, announcement, forum, threads). */
const POSTABLE = new Set<number>([
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildForum,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

/** A neutral command's arguments as slash-command options. */
function optionsOf(command: ChatCommand) {
  return command.args.map((a) => ({
    type:
      a.kind === 'file'
        ? ApplicationCommandOptionType.Attachment
        : a.kind === 'flag'
          ? ApplicationCommandOptionType.Boolean
          : ApplicationCommandOptionType.String,
    name: a.name,
    ...describedAs(a.description),
    required: a.required ?? false,
    ...(a.choices ? { choices: a.choices.map((c) => ({ name: c, value: c })) } : {}),
  }));
}

/** Every neutral command as a `/scipop` subcommand. */
export const NEUTRAL_SUBCOMMANDS = CHAT_COMMANDS.map((c) => ({
  type: ApplicationCommandOptionType.Subcommand,
  ...namedAs(c.name),
  ...describedAs(c.description),
  options: optionsOf(c),
}));

/**
 * Standalone commands (`/explain`) are also registered on their own: Discord permissions apply per
 * command, and `/scipop` is shown to moderators only.
 */
export const EVERYONE_COMMANDS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = CHAT_COMMANDS.filter(
  (c) => c.standalone && opensToEveryone(c.access),
).map((c) => ({
  type: ApplicationCommandType.ChatInput,
  ...namedAs(c.name),
  ...describedAs(c.description),
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  options: optionsOf(c),
})) as RESTPostAPIChatInputApplicationCommandsJSONBody[];

/** A neutral command's view of an interaction. */
function contextOf(
  interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
  deps: DiscordCommandDeps,
  rest: REST | undefined,
): CommandContext {
  const topLevel = new Set(EVERYONE_COMMANDS.map((c) => c.name));
  const channelId = interaction.channelId ?? '';
  const self: CommandContext = {
    platform: 'discord',
    // The server's language (a direct message: the member's own).
    locale: interaction.guildLocale ?? interaction.locale,
    place: { id: channelId, kind: interaction.inGuild() ? 'group' : 'private' },
    user: { id: interaction.user.id, name: `${interaction.user.username} (${interaction.user.id})` },
    async reply(reply) {
      const r: Reply = typeof reply === 'string' ? { text: reply } : reply;
      const files = r.file ? [new AttachmentBuilder(Buffer.from(r.file.data), { name: r.file.name })] : undefined;
      const components = r.buttons ? buttonRows(r.buttons) : undefined;
      await answer(interaction, r.text, { ...(files ? { files } : {}), ...(components ? { components } : {}) });
    },
    command: (name, args) =>
      [
        topLevel.has(name) ? `/${name}` : `/scipop ${name}`,
        ...Object.entries(args ?? {}).map(([k, v]) => `${k}:${v}`),
      ].join(' '),
    code: (text) => `\`${text}\``,
    link: (url) => `<${url}>`,
    scope: () => discordScope(interaction, deps),
    moderatesPlace: async (place) =>
      interaction.inGuild() &&
      interaction.guildId === place &&
      interaction.memberPermissions?.has(MODERATOR_PERMISSION) === true,
    destinationsHere: () => channelsHere(deps, channelId),
    placeName: 'channel',
    async progress() {
      // Fetching a feed may take longer than the 3 s Discord waits for an answer.
      if (!interaction.deferred && !interaction.replied)
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    },
    quote: (text) => `\`${text.replace(/`/g, 'ˋ')}\``,
    status: (scope) => statusHere(deps, scope, self),
    queue: discordQueue(interaction, deps, rest),
    // A modal can answer a button press (the queue's Edit summary); its values come back to onNeutralForm.
    ...(interaction.isButton()
      ? {
          openForm: (command: string, form: ChatForm) => interaction.showModal(modalOf(command, form)),
          async closePressed(line: string) {
            // The press's first answer updates the message it was on; a later one can only reply.
            if (interaction.deferred || interaction.replied) return answer(interaction, line);
            await interaction.update({
              ...QUIET,
              content: `${interaction.message.content.slice(0, 1990 - line.length)}\n\n${line}`,
              components: [],
            });
          },
        }
      : {}),
    asDestination() {
      const channel = interaction.channel;
      if (channel && !POSTABLE.has(channel.type)) return say(self, 'subscribe.notPostable');
      const title = channel && 'name' in channel && channel.name ? `#${channel.name}` : channelId;
      // A new destination speaks its server's language until a moderator's /lang.
      const lang = chatLangOf(interaction.guildLocale);
      return { id: `discord-${channelId}`, sink: 'discord', target: channelId, title, lang };
    },
    async resumePosting() {
      if (!(await deps.state.paused(channelId))) return null;
      return deps.sink.resumeDestination(channelId);
    },
  };
  return self;
}

/** What `status` shows that only Discord's side knows: paused destinations, and for operators the moderators' channel. */
async function statusHere(deps: DiscordCommandDeps, scope: Scope, ctx: CommandContext): Promise<PlatformStatus> {
  // A server's moderators see their destinations'; operators every one.
  const destinations = new Set(scope.here.map((c) => c.channel.target.trim()));
  const paused = (await deps.state.allPaused()).filter((p) => scope.actor.operator || destinations.has(p.channelId));
  const { moderatorChannel } = deps.config;
  return {
    paused: paused.map((p) => ({ where: `<#${p.channelId}>`, reason: p.reason })),
    more: scope.actor.operator
      ? [
          moderatorChannel
            ? say(ctx, 'dc.status.moderatorChannel', { channel: `<#${moderatorChannel}>` })
            : say(ctx, 'dc.status.noModeratorChannel'),
        ]
      : [],
  };
}

/** A neutral command's arguments from the interaction's options. */
function argsOf(interaction: ChatInputCommandInteraction, command: ChatCommand, deps: DiscordCommandDeps): CommandArgs {
  const args: CommandArgs = {};
  for (const spec of command.args) {
    if (spec.kind === 'text') {
      const value = interaction.options.getString(spec.name)?.trim();
      if (value) args[spec.name] = value;
      continue;
    }
    if (spec.kind === 'flag') {
      args[spec.name] = interaction.options.getBoolean(spec.name) ?? false;
      continue;
    }
    const file = interaction.options.getAttachment(spec.name);
    if (file)
      args[spec.name] = {
        name: file.name,
        size: file.size,
        async read() {
          // Downloading may take longer than the 3 s Discord waits for an answer.
          if (!interaction.deferred) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
          return deps.download(file.url);
        },
      };
  }
  return args;
}

/** The neutral command an interaction names (`/explain`, `/scipop sources`), if any. */
export function neutralCommandOf(interaction: ChatInputCommandInteraction): ChatCommand | undefined {
  const name =
    interaction.commandName === 'scipop' ? interaction.options.getSubcommand(false) : interaction.commandName;
  const command = CHAT_COMMANDS.find((c) => c.name === name);
  if (command && interaction.commandName !== 'scipop' && !command.standalone) return undefined;
  return command;
}

type Allowed = (access: Access) => Promise<boolean>;

/** Runs a neutral command; `allowed` checks (and answers) moderation. */
export async function runNeutralCommand(
  interaction: ChatInputCommandInteraction,
  command: ChatCommand,
  deps: DiscordCommandDeps,
  allowed: Allowed,
  rest?: REST,
): Promise<void> {
  const ctx = contextOf(interaction, deps, rest);
  const args = argsOf(interaction, command, deps);
  await dispatch(
    ctx,
    command,
    allowed,
    async () => {
      // A form is the interaction's first answer, so it opens before anything else replies.
      const form = await command.forms?.open(ctx, args, neutralDeps(deps));
      if (form) await interaction.showModal(modalOf(command.name, form));
      else await command.run(ctx, args, neutralDeps(deps));
    },
    deps.log,
  );
}

/** Form ids: `scipop:f:COMMAND:ID`. */
const FORM_ID = /^scipop:f:([\w-]+):(.*)$/s;

/** A neutral form as a Discord modal: one text input per field (Discord allows five). */
function modalOf(command: string, form: ChatForm): APIModalInteractionResponseCallbackData {
  return {
    custom_id: `scipop:f:${command}:${form.id}`.slice(0, 100),
    title: form.title.slice(0, 45),
    components: form.fields.slice(0, 5).map((f) => ({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.TextInput,
          custom_id: f.name,
          label: f.label.slice(0, 45),
          style: f.long ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: f.required ?? false,
          ...(f.max ? { max_length: Math.min(f.max, 4000) } : {}),
          ...(f.placeholder ? { placeholder: f.placeholder.slice(0, 100) } : {}),
        },
      ],
    })),
  };
}

/** Takes a submitted form to its command, if the modal is one of the neutral forms; false when it is not. */
export async function onNeutralForm(
  interaction: ModalSubmitInteraction,
  deps: DiscordCommandDeps,
  allowed: Allowed,
): Promise<boolean> {
  const m = FORM_ID.exec(interaction.customId);
  const command = m ? CHAT_COMMANDS.find((c) => c.name === m[1] && c.forms) : undefined;
  if (!m || !command) return false;
  const values = Object.fromEntries(
    [...interaction.fields.fields.values()].map((f) => [f.customId, 'value' in f ? String(f.value) : '']),
  );
  const ctx = contextOf(interaction, deps, undefined);
  await dispatch(
    ctx,
    command,
    allowed,
    () => command.forms!.submit(ctx, m[2] ?? '', values, neutralDeps(deps)),
    deps.log,
  );
  return true;
}

/** Runs a neutral button's action (ids `scipop:` and its data: buttonRows), if the button is one; false when it is not. */
export async function onNeutralButton(
  interaction: ButtonInteraction,
  deps: DiscordCommandDeps,
  allowed: Allowed,
): Promise<boolean> {
  const pressed = interaction.customId.startsWith('scipop:')
    ? actionOfButton(interaction.customId.slice('scipop:'.length), CHAT_ACTIONS)
    : null;
  if (!pressed?.action) return false;
  const { action, data } = pressed;
  const ctx = contextOf(interaction, deps, undefined);
  await dispatch(ctx, action, allowed, () => action.run(ctx, data, neutralDeps(deps)), deps.log);
  return true;
}

const neutralDeps = (deps: DiscordCommandDeps) => ({ ...deps, now: deps.now ?? Date.now });
