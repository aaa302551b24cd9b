import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

/** The permission moderation needs: Manage Server. Checked again on every interaction. */
export const MODERATOR_PERMISSION = PermissionFlagsBits.ManageGuild;

const str = (name: string, description: string, required = true, extra: Record<string, unknown> = {}) => ({
  type: ApplicationCommandOptionType.String,
  name,
  description,
  required,
  ...extra,
});
const sub = (name: string, description: string, options: unknown[] = []) => ({
  type: ApplicationCommandOptionType.Subcommand,
  name,
  description,
  options,
});
const KINDS = ['include', 'exclude', 'include-regex', 'exclude-regex'].map((k) => ({ name: k, value: k }));

/**
 * The commands as registered (bulk overwrite). `/scipop` carries default_member_permissions
 * Manage Server, so Discord shows it to moderators only; `/explain` is for everyone. Discord
 * permissions apply per command, not per subcommand, which is why explain stands on its own too.
 */
export const COMMANDS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    type: ApplicationCommandType.ChatInput,
    name: 'scipop',
    description: 'Curate SciPop: sources, filters, approval queue (moderators)',
    default_member_permissions: String(MODERATOR_PERMISSION),
    contexts: [InteractionContextType.Guild],
    options: [
      sub('sources', 'List the feed sources and their state'),
      sub('add', 'Add a feed source', [
        str('url', 'RSS, Atom, RDF or JSON Feed URL'),
        str('tags', 'Fields, space-separated (astronomy biology …)', false),
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'trusted',
          description: 'Post without approval',
          required: false,
        },
      ]),
      sub('remove', 'Remove a source', [str('source', 'Source id (as /scipop sources shows it) or feed URL')]),
      sub('filter', 'Show or change the filters of this channel', [
        str('action', 'What to do (default: show)', false, {
          choices: ['show', 'add', 'remove', 'clear'].map((a) => ({ name: a, value: a })),
        }),
        str('kind', 'Which list', false, { choices: KINDS }),
        str('value', 'A keyword, or an RE2 regular expression', false),
      ]),
      sub('pause', 'Stop fetching a source', [str('source', 'Source id or feed URL')]),
      sub('resume', 'Resume a source, or (without one) this channel’s paused posting', [
        str('source', 'Source id or feed URL', false),
      ]),
      sub('queue', 'Posts waiting for approval, with Approve / Reject buttons'),
      sub('import', 'Import sources from an OPML file', [
        { type: ApplicationCommandOptionType.Attachment, name: 'file', description: 'The .opml file', required: true },
      ]),
      sub('export', 'Every source as an OPML file'),
      sub('status', 'Sources, failures, outbox, queue and paused destinations'),
      sub('subscribe', 'Post SciPop news in this channel', [
        str('tags', 'Only sources with these fields, space-separated (default: all)', false),
        str('approval', 'Which posts wait for approval (default: untrusted sources)', false, {
          choices: ['untrusted', 'all', 'none'].map((a) => ({ name: a, value: a })),
        }),
      ]),
      sub('unsubscribe', 'Stop posting SciPop news in this channel'),
      sub('explain', 'Explain a science term from the glossary', [str('term', 'The term, e.g. exoplanet')]),
    ],
  },
  {
    type: ApplicationCommandType.ChatInput,
    name: 'explain',
    description: 'Explain a science term from the SciPop glossary',
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    options: [str('term', 'The term, e.g. exoplanet')],
  },
] as RESTPostAPIChatInputApplicationCommandsJSONBody[];
