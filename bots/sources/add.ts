import {
  defineCommand,
  flagArg,
  placeWord,
  say,
  sentences,
  textArg,
  type CommandContext,
  type CommandDeps,
} from '../platform/commands';
import { addFor, type AddResult } from '../tenancy/services';
import { targetsOf, type Scope } from '../tenancy/scope';
import { isFeedUrl } from './catalog';
import { checkFeed, shortId } from './commands';

/**
 * Where the source now goes, as the reply's last line ('' when nowhere new); tells the engine when
 * channels or subscriptions changed (a new source: always, for the channels its rules select).
 */
async function whereTo(ctx: CommandContext, deps: CommandDeps, scope: Scope, result: AddResult): Promise<string> {
  if (result.subscribed.length > 0) {
    await deps.channelsChanged?.();
    const here = new Set((await ctx.destinationsHere()).map((c) => c.title));
    const n = result.subscribed.length;
    return result.subscribed.every((title) => here.has(title))
      ? `\n${say(ctx, 'add.hereToo', { place: placeWord(ctx) })}`
      : `\n${say(ctx, 'add.receive', { n, channels: result.subscribed.join(', ') })}`;
  }
  const place = scope.actor.operator ? ctx.newDestination?.() : null;
  if (!place) {
    if (result.created) await deps.channelsChanged?.();
    return '';
  }
  // An operator's source in a place that is not a destination yet: it becomes one, for this source.
  await deps.store.upsertChannel({ ...place, rules: { sources: [result.source.id] }, origin: 'chat' }, deps.now());
  const live = (await deps.channelsChanged?.()) ?? false;
  // The answer already speaks the new destination's language.
  if (place.lang) ctx.lang = place.lang;
  return `\n${say(ctx, live ? 'add.newDestination' : 'add.newDestinationRestart', {
    place: placeWord(ctx),
    add: ctx.command('add'),
    filter: ctx.command('filter'),
  })}`;
}

/**
 * `add URL [tags] [trusted]`: checks the feed the way the poller will read it, then adds it (or,
 * when the network has it, subscribes the destinations here). A channel's moderators add to their
 * destinations; an operator's new source goes to every channel whose rules select it, and makes
 * this place a destination where the platform can (`CommandContext.newDestination`).
 */
export const addCommand = defineCommand({
  name: 'add',
  description: 'cmd.add',
  access: 'moderator',
  args: [
    { name: 'url', description: 'cmd.add.url', kind: 'text', required: true },
    { name: 'tags', description: 'cmd.add.tags', kind: 'text' },
    { name: 'trusted', description: 'cmd.add.trusted', kind: 'flag' },
  ],
  async run(ctx, args, deps) {
    const url = textArg(args, 'url');
    if (!isFeedUrl(url))
      return ctx.reply(
        say(ctx, 'add.usage', {
          example: ctx.command('add', { url: 'https://www.nasa.gov/feed/', tags: 'astronomy' }),
        }),
      );
    const scope = await ctx.scope();
    if (!scope.actor.operator && targetsOf(scope).length === 0) return ctx.reply(say(ctx, 'add.noDestination'));
    const tenancy = { store: deps.store, now: () => deps.now() };
    const tags = textArg(args, 'tags')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((t) => t.replace(/^#/, '').toLowerCase());
    const existing = await deps.store.getSource(url);
    if (existing) {
      const result = await addFor(tenancy, scope, { url, title: existing.title, tags, lang: null }, existing);
      const where = await whereTo(ctx, deps, scope, result);
      return ctx.reply(
        say(ctx, 'add.exists', { title: existing.title, id: ctx.code(shortId(existing)) }) +
          (where || say(ctx, 'add.listsThem', { sources: ctx.command('sources') })),
      );
    }
    await ctx.progress?.(say(ctx, 'add.checking', { url }));
    const feed = await checkFeed(deps, url, ctx.lang);
    if (typeof feed === 'string') return ctx.reply(sentences(ctx, [say(ctx, 'add.notAdded'), feed]));
    // Left out where the platform has no flags: the store's default (trusted).
    const trusted = flagArg(args, 'trusted');
    const input = {
      url,
      title: feed.title,
      tags,
      lang: feed.lang ?? null,
      ...(trusted === undefined ? {} : { trusted }),
    };
    const result = await addFor(tenancy, scope, input, undefined);
    const where = await whereTo(ctx, deps, scope, result);
    const { source } = result;
    await ctx.reply(
      say(ctx, source.trusted ? 'add.added' : 'add.addedApproval', {
        title: source.title,
        items: feed.items,
        id: ctx.code(shortId(source)),
      }) + where,
    );
  },
});
