import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
  type REST,
} from 'discord.js';
import { errorMessage } from '../../shared/errors';
import { opensToEveryone, type Access } from '../platform/commands';
import { neutralCommandOf, onNeutralButton, onNeutralForm, runNeutralCommand } from './chat-commands';
import { translate } from '../../shared/i18n/translate';
import { answer, langHere, QUIET, type DiscordCommandDeps } from './context';
import { requireDiscordScope } from './scope';

/**
 * When the config names `discord.guilds`, moderation is taken only from those servers: a Manage
 * Server holder elsewhere cannot change anything (within them, each server's moderators manage
 * their own destinations: docs/moderators.md).
 */
async function moderationAllowedHere(
  interaction: Parameters<typeof answer>[0],
  deps: DiscordCommandDeps,
): Promise<boolean> {
  const { guilds } = deps.config;
  if (guilds.length === 0 || (interaction.guildId !== null && guilds.includes(interaction.guildId))) return true;
  await interaction.reply({
    ...QUIET,
    flags: MessageFlags.Ephemeral,
    content: translate(await langHere(interaction, deps), 'dc.refuse.otherServer'),
  });
  return false;
}

/**
 * Handles one interaction: the neutral commands (bots/platform/command-set.ts) by their access; every other subcommand
 * and the queue buttons only after the member's role (operator, or Manage Server for this server's destinations) was checked.
 * A failure is answered, never left as "the application did not respond".
 */
/** Whether the member may use a neutral command of this access here (refusals are answered). */
const allowedFor =
  (interaction: ButtonInteraction | ChatInputCommandInteraction | ModalSubmitInteraction, deps: DiscordCommandDeps) =>
  async (access: Access): Promise<boolean> =>
    opensToEveryone(access) ||
    ((await moderationAllowedHere(interaction, deps)) &&
      (await requireDiscordScope(interaction, deps, access)) !== null);

export async function handleInteraction(interaction: Interaction, rest: REST, deps: DiscordCommandDeps): Promise<void> {
  try {
    if (interaction.isButton()) {
      // Every button moderates: none works from a server SciPop is not moderated from. The queue's
      // buttons then check the post's own channel (bots/curation/queue-chat.ts).
      if (!(await moderationAllowedHere(interaction, deps))) return;
      await onNeutralButton(interaction, deps, allowedFor(interaction, deps));
      return;
    }
    if (interaction.isModalSubmit()) {
      const allowed = allowedFor(interaction, deps);
      await onNeutralForm(interaction, deps, allowed);
      return;
    }
    if (!interaction.isChatInputCommand()) return;
    const neutral = neutralCommandOf(interaction);
    if (neutral) {
      const allowed = allowedFor(interaction, deps);
      return await runNeutralCommand(interaction, neutral, deps, allowed, rest);
    }
    if (interaction.commandName !== 'scipop') return;
    await answer(
      interaction,
      translate(await langHere(interaction, deps), 'dc.unknownSubcommand', {
        sub: interaction.options.getSubcommand(false) ?? '',
      }),
    );
  } catch (error) {
    deps.log.error(
      { interaction: interaction.id, err: error instanceof Error && error.stack ? error.stack : errorMessage(error) },
      'a Discord interaction failed',
    );
    if (interaction.isRepliable())
      await answer(
        interaction,
        translate(await langHere(interaction, deps).catch(() => 'en' as const), 'error.internal'),
      ).catch(() => undefined);
  }
}
