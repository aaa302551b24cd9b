import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { isFeedUrl } from '../sources/catalog';
import { checkFeed, shortId } from '../sources/commands';
import { addFor } from '../tenancy/services';
import { targetsOf, type Scope } from '../tenancy/scope';
import { answer, option, type DiscordCommandDeps } from './context';

/** `/scipop add` (the other source commands are neutral: bots/sources/); the caller checked the permission. */
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
  const done = async (text: string) => {
    await answer(interaction, text);
    return true;
  };
  switch (sub) {
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
    default:
      return false;
  }
}
