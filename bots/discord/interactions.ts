import { MessageFlags, type Interaction, type REST } from 'discord.js';
import { runSourceCommand } from './commands-sources';
import { answer, option, QUIET, type DiscordCommandDeps } from './context';
import { runFilterCommand } from './filter';
import { onQueueButton, runQueueCommand } from './queue';
import { requireDiscordScope } from './scope';
import { runSubscribeCommand } from './subscribe';

async function explain(
  interaction: Parameters<typeof answer>[0],
  term: string,
  deps: DiscordCommandDeps,
): Promise<void> {
  if (!term) return answer(interaction, 'Which term? For example /explain term:exoplanet');
  const text = deps.explain(term);
  await answer(interaction, text ?? `I have no explanation for “${term.slice(0, 100)}” yet.`);
}

/**
 * Sources are shared by every server the bot is in, so when the config names `discord.guilds`,
 * moderation is taken only from those servers: a Manage Server holder elsewhere cannot change them.
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
    content: 'SciPop is moderated from another server; only /explain works here.',
  });
  return false;
}

/**
 * Handles one interaction: `/explain` and `/scipop explain` for everyone; every other subcommand
 * and the queue buttons only after the member's permissions (as Discord sent them) were checked.
 * A failure is answered, never left as "the application did not respond".
 */
export async function handleInteraction(interaction: Interaction, rest: REST, deps: DiscordCommandDeps): Promise<void> {
  try {
    if (interaction.isButton())
      return (await moderationAllowedHere(interaction, deps)) ? await onQueueButton(interaction, deps) : undefined;
    if (!interaction.isChatInputCommand()) return;
    if (interaction.commandName === 'explain') return await explain(interaction, option(interaction, 'term'), deps);
    if (interaction.commandName !== 'scipop') return;
    const sub = interaction.options.getSubcommand();
    if (sub === 'explain') return await explain(interaction, option(interaction, 'term'), deps);
    if (!(await moderationAllowedHere(interaction, deps))) return;
    // Importing and exporting the network's catalog are operators'; the rest a server's moderators may do for their server.
    const scope = await requireDiscordScope(
      interaction,
      deps,
      sub === 'import' || sub === 'export' ? 'operator' : 'channel',
    );
    if (!scope) return;
    if (sub === 'filter') return await runFilterCommand(interaction, deps);
    if (sub === 'queue') return await runQueueCommand(rest, interaction, deps, scope);
    if (sub === 'subscribe' || sub === 'unsubscribe') return await runSubscribeCommand(sub, interaction, deps);
    if (!(await runSourceCommand(sub, interaction, deps, scope)))
      await answer(interaction, `Unknown subcommand ${sub}.`);
  } catch (error) {
    deps.log.error(
      { interaction: interaction.id, err: (error as Error).stack ?? String(error) },
      'a Discord interaction failed',
    );
    if (interaction.isRepliable())
      await answer(interaction, 'Something went wrong on our side; it was logged. Try again in a moment.').catch(
        () => undefined,
      );
  }
}
