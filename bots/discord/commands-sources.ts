import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { isFeedUrl } from '../sources/catalog';
import { checkFeed, shortId } from '../sources/commands';
import { answer, channelsHere, option, type DiscordCommandDeps } from './context';

/** `/scipop add|status` (the other source commands are neutral: bots/sources/commands.ts); the caller checked the permission. */
export async function runSourceCommand(
  sub: string,
  interaction: ChatInputCommandInteraction,
  deps: DiscordCommandDeps,
): Promise<boolean> {
  const now = deps.now ?? Date.now;
  const done = async (text: string) => {
    await answer(interaction, text);
    return true;
  };
  switch (sub) {
    case 'add': {
      const url = option(interaction, 'url');
      if (!isFeedUrl(url))
        return done('Give the http(s) URL of an RSS, Atom, RDF or JSON feed, e.g. https://www.nasa.gov/feed/');
      if (await deps.store.getSource(url)) return done('That feed is already a source. /scipop sources lists them.');
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const feed = await checkFeed(deps, url);
      if (typeof feed === 'string') return done(`Not added. ${feed}`);
      const tags = option(interaction, 'tags')
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((t) => t.replace(/^#/, '').toLowerCase());
      const trusted = interaction.options.getBoolean('trusted') ?? false;
      const source = await deps.store.addSource(
        { url, title: feed.title, tags, lang: feed.lang ?? null, trusted },
        now(),
      );
      await answer(
        interaction,
        `Added “${source.title}” (${feed.items} items now; new ones will be posted${trusted ? '' : ' after approval'}). Id: \`${shortId(source)}\``,
      );
      return true;
    }
    case 'status': {
      const [stats, sources, here] = await Promise.all([
        deps.store.stats(),
        deps.store.listSources(),
        channelsHere(deps, interaction.channelId),
      ]);
      const failing = sources.filter((s) => s.active && s.failures > 0);
      const lines = [
        `Sources: ${stats.activeSources} active, ${stats.pausedSources} paused, ${failing.length} failing`,
        ...failing.slice(0, 5).map((s) => `  • ${s.title}: ${s.lastError ?? 'error'} (×${s.failures})`),
        `Outbox: ${stats.deliveries.pending} waiting, ${stats.deliveries.sent} sent, ${stats.deliveries.failed} failed; approval queue: ${stats.deliveries.held}`,
        here.length
          ? `This channel receives: ${here.map((c) => c.title).join(', ')}`
          : 'This channel is not a SciPop destination.',
        ...(await deps.state.allPaused()).map((p) => `Paused destination <#${p.channelId}>: ${p.reason}`),
        deps.config.moderatorChannel
          ? `Moderators’ channel: <#${deps.config.moderatorChannel}>`
          : 'No moderators’ channel is configured (discord.moderatorChannel).',
      ];
      await answer(interaction, lines.join('\n'));
      return true;
    }
    default:
      return false;
  }
}
