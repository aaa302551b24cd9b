import { AttachmentBuilder, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { exportOpml, importSources, isFeedUrl } from '../sources/catalog';
import { parseOpml } from '../sources/opml';
import type { Source } from '../store/types';
import {
  addFor,
  findSourceFor,
  heldFor,
  pauseFor,
  removeFor,
  resumeFor,
  sourcesFor,
  statusSourcesFor,
} from '../tenancy/services';
import { targetsOf, type Scope } from '../tenancy/scope';
import { answer, option, shortId, type DiscordCommandDeps } from './context';

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
  scope: Scope,
): Promise<boolean> {
  const now = deps.now ?? Date.now;
  const tenancy = { store: deps.store, now };
  const where = (subscribed: string[]) =>
    subscribed.length ? ` ${subscribed.join(', ')} now receive${subscribed.length === 1 ? 's' : ''} it.` : '';
  const who = `${interaction.user.username} (${interaction.user.id}) in Discord`;
  const done = async (text: string) => {
    await answer(interaction, text);
    return true;
  };
  switch (sub) {
    case 'sources': {
      const list = await sourcesFor(tenancy, scope);
      if (list.length === 0)
        return done(
          scope.here.length > 0
            ? 'This channel subscribes to no source yet. Add one with /scipop add.'
            : 'No sources here. /scipop sources in a destination channel lists what it receives.',
        );
      const lines = list.map(
        ({ source: s, subscription, subscribers }) =>
          `\`${shortId(s)}\` ${s.trusted ? '' : '(needs approval) '}${s.title} — <${s.url}> [${s.tags.join(', ')}] ${stateOf(s)}${
            subscription?.pausedReason ? ` (paused here: ${subscription.pausedReason})` : ''
          }${subscribers === null ? '' : ` · ${subscribers} channel(s)`}`,
      );
      const head = scope.here.length > 0 ? 'Received here' : 'The network has';
      await answer(interaction, `${head}: ${list.length} source(s):\n${lines.join('\n')}`);
      return true;
    }
    case 'add': {
      const url = option(interaction, 'url');
      if (!isFeedUrl(url))
        return done('Give the http(s) URL of an RSS, Atom, RDF or JSON feed, e.g. https://www.nasa.gov/feed/');
      if (!scope.actor.operator && targetsOf(scope).length === 0)
        return done('This server has no SciPop destination yet: /scipop subscribe in a channel makes it one.');
      const existing = await deps.store.getSource(url);
      if (existing) {
        const r = await addFor(tenancy, scope, { url, title: existing.title }, existing);
        if (r.subscribed.length) await deps.channelsChanged?.();
        return done(
          `“${existing.title}” is already a source (\`${shortId(existing)}\`).${where(r.subscribed) || ' /scipop sources lists them.'}`,
        );
      }
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const feed = await checkFeed(deps, url);
      if (typeof feed === 'string') return done(`Not added. ${feed}`);
      const tags = option(interaction, 'tags')
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((t) => t.replace(/^#/, '').toLowerCase());
      const trusted = interaction.options.getBoolean('trusted') ?? false;
      const r = await addFor(
        tenancy,
        scope,
        { url, title: feed.title, tags, lang: feed.lang ?? null, trusted },
        undefined,
      );
      await deps.channelsChanged?.();
      await answer(
        interaction,
        `Added “${r.source.title}” (${feed.items} items now; new ones will be posted${trusted ? '' : ' after approval'}). Id: \`${shortId(r.source)}\`${where(r.subscribed)}`,
      );
      return true;
    }
    case 'remove':
    case 'pause':
    case 'resume': {
      const ref = option(interaction, 'source');
      if (sub === 'resume' && !ref) {
        if (!(await deps.state.paused(interaction.channelId)))
          return done('Posting to this channel is not paused. To resume a source, give source:ID.');
        const moved = await deps.sink.resumeDestination(interaction.channelId);
        return done(`Posting here resumed; ${moved} waiting post(s) go out now.`);
      }
      const found = await findSourceFor(tenancy, scope, ref);
      if (typeof found === 'string') return done(found);
      const text =
        sub === 'remove'
          ? await removeFor(tenancy, scope, found)
          : sub === 'pause'
            ? `${await pauseFor(tenancy, scope, found, who)} /scipop resume source:${shortId(found)} undoes it.`
            : await resumeFor(tenancy, scope, found);
      await deps.channelsChanged?.();
      return done(text);
    }
    case 'import': {
      const file = interaction.options.getAttachment('file', true);
      if (file.size > 1_000_000) return done('That file is over 1 MB; an OPML list is much smaller.');
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const parsed = parseOpml(await deps.download(file.url));
      if (!parsed.ok) return done(`Not imported: ${parsed.error}`);
      const r = await importSources(deps.store, parsed.value, now());
      await deps.channelsChanged?.(); // new sources' subscriptions
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
      const [stats, sources, held] = await Promise.all([
        deps.store.stats(),
        statusSourcesFor(tenancy, scope),
        heldFor(tenancy, scope, 1000),
      ]);
      const failing = sources.filter((s) => s.active && s.failures > 0);
      const paused = sources.filter((s) => !s.active).length;
      const here = scope.here.map((c) => c.channel);
      // Network totals are the operators'; a server's moderators see their destinations.
      const destinations = new Set(scope.here.map((c) => c.channel.target.trim()));
      const lines = [
        `Sources${scope.actor.operator ? '' : ' used here'}: ${sources.length - paused} active, ${paused} paused, ${failing.length} failing`,
        ...failing.slice(0, 5).map((s) => `  • ${s.title}: ${s.lastError ?? 'error'} (×${s.failures})`),
        scope.actor.operator
          ? `Outbox: ${stats.deliveries.pending} waiting, ${stats.deliveries.sent} sent, ${stats.deliveries.failed} failed; approval queue: ${stats.deliveries.held}`
          : `Approval queue here: ${held.length}`,
        here.length
          ? `This channel receives: ${here.map((c) => c.title).join(', ')}`
          : 'This channel is not a SciPop destination.',
        ...(await deps.state.allPaused())
          .filter((p) => scope.actor.operator || destinations.has(p.channelId))
          .map((p) => `Paused destination <#${p.channelId}>: ${p.reason}`),
        ...(scope.actor.operator
          ? [
              deps.config.moderatorChannel
                ? `Moderators’ channel: <#${deps.config.moderatorChannel}>`
                : 'No moderators’ channel is configured (discord.moderatorChannel).',
            ]
          : []),
      ];
      await answer(interaction, lines.join('\n'));
      return true;
    }
    default:
      return false;
  }
}
