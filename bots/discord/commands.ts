import {
  ApplicationCommandType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { describedAs, EVERYONE_COMMANDS, NEUTRAL_SUBCOMMANDS } from './chat-commands';
import { MODERATOR_PERMISSION } from './context';

/** The order `/scipop`'s subcommands are shown in (Discord lists them as registered); others go last. */
const ORDER = [
  'sources',
  'add',
  'remove',
  'filter',
  'pause',
  'resume',
  'queue',
  'import',
  'export',
  'status',
  'subscribe',
  'unsubscribe',
];
const inOrder = <T extends { name: string }>(subs: T[]): T[] => {
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  return subs
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank(a.s.name) - rank(b.s.name) || a.i - b.i)
    .map((x) => x.s);
};

/**
 * The commands as registered (bulk overwrite). `/scipop` carries default_member_permissions
 * Manage Server, so Discord shows it to moderators only; the neutral commands for everyone
 * (`/explain`) stand on their own too, since Discord permissions apply per command, not per
 * subcommand. The neutral commands come from bots/platform/command-set.ts.
 */
export const COMMANDS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    type: ApplicationCommandType.ChatInput,
    name: 'scipop',
    ...describedAs('cmd.scipop'),
    default_member_permissions: String(MODERATOR_PERMISSION),
    contexts: [InteractionContextType.Guild],
    options: inOrder([...NEUTRAL_SUBCOMMANDS]),
  },
  ...EVERYONE_COMMANDS,
] as RESTPostAPIChatInputApplicationCommandsJSONBody[];
