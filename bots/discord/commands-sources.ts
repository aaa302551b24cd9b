import { AttachmentBuilder, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { exportOpml, importSources, isFeedUrl } from '../sources/catalog';
import { parseOpml } from '../sources/opml';
import type { Source } from '../store/types';
import { answer, channelsHere, findSource, option, shortId, type DiscordCommandDeps } from './context';

function stateOf(s: Source): string {
  if (!s.active) return `paused: ${s.pausedReason ?? 'by a moderator'}`;
  if (s.failures > 0) return `failing ×${s.failures}: ${s.lastError ?? ''}`;
  return s.lastSuccessAt ? 'ok' : 'new';
}

/** Fetches and parses a URL the way the poller will, so /scipop add says "not a feed" before adding. */
async function checkFeed(
  deps: DiscordCommandDeps,
  url: string,
): Promise<{ title: string; items: number; lang?: string } | string> {
  const result = await deps.fetcher.fetch(url, {});
  if (result.kind === 'error') return `I could not fetch it: ${result.message}`;
  if (result.kind === 'not-modified')
    return 'The server answered 304 Not Modified to a first request; I cannot check it.';
  const parsed = await deps.parse(result.body, { url: result.finalUrl });
  if (!parsed.ok) return `That is not a feed I can read: ${parsed.error}`;
  return {
    title: parsed.value.title || new URL(url).hostname,
    items: parsed.value.items.length,
    ...(parsed.value.lang ? { lang: parsed.value.lang } : {}),
  };
}

/** `/scipop sources|add|remove|pause|resume|import|export|status`; the caller checked the permission. */
export async function runSourceCommand(
  sub: string,
  interaction: ChatInputCommandInteraction,
  deps: DiscordCommandDeps,
): Promise<boolean> {
  const now = deps.now ?? Date.now;
  const who = `${interaction.user.username} (${interaction.user.id}) in Discord`;
  const done = async (text: string) => {
    await answer(interaction, text);
    return true;
  };
  switch (sub) {
    case 'sources': {
      const list = await deps.store.listSources();
      if (list.length === 0)
        return done('No sources yet. Add one with /scipop add or import an OPML file with /scipop import.');
      const lines = list.map(
        (s) =>
          `\`${shortId(s)}\` ${s.trusted ? '' : '(needs approval) '}${s.title} — <${s.url}> [${s.tags.join(', ')}] ${stateOf(s)}`,
      );
      await answer(interaction, `${list.length} source(s):\n${lines.join('\n')}`);
      return true;
    }
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
    case 'remove':
    case 'pause': {
      const found = await findSource(deps, option(interaction, 'source'));
      if (typeof found === 'string') return done(found);
      if (sub === 'remove') await deps.store.removeSource(found.id);
      else await deps.store.pauseSource(found.id, `paused by ${who}`, now());
      await answer(
        interaction,
        sub === 'remove'
          ? `Removed “${found.title}”.`
          : `Paused “${found.title}”. /scipop resume source:${shortId(found)} fetches it again.`,
      );
      return true;
    }
    case 'resume': {
      const ref = option(interaction, 'source');
      if (!ref) {
        if (!(await deps.state.paused(interaction.channelId)))
          return done('Posting to this channel is not paused. To resume a source, give source:ID.');
        const moved = await deps.sink.resumeDestination(interaction.channelId);
        return done(`Posting here resumed; ${moved} waiting post(s) go out now.`);
      }
      const found = await findSource(deps, ref);
      if (typeof found === 'string') return done(found);
      await deps.store.resumeSource(found.id, now());
      await answer(interaction, `Resumed “${found.title}”; it is fetched at the next tick.`);
      return true;
    }
    case 'import': {
      const file = interaction.options.getAttachment('file', true);
      if (file.size > 1_000_000) return done('That file is over 1 MB; an OPML list is much smaller.');
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const parsed = parseOpml(await deps.download(file.url));
      if (!parsed.ok) return done(`Not imported: ${parsed.error}`);
      const r = await importSources(deps.store, parsed.value, now());
      const problems = r.problems.length ? `\nSkipped:\n${r.problems.slice(0, 20).join('\n')}` : '';
      await answer(
        interaction,
        `Imported ${file.name}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.${problems}`,
      );
      return true;
    }
    case 'export': {
      const xml = await exportOpml(deps.store, new Date(now()));
      const count = (await deps.store.listSources()).length;
      const file = new AttachmentBuilder(Buffer.from(xml, 'utf8'), { name: 'scipop-sources.opml' });
      await answer(interaction, `${count} source(s) as OPML 2.0`, { files: [file] });
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
