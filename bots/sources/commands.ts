import { defineCommand, textArg, type CommandArgs, type CommandContext, type CommandDeps } from '../platform/commands';
import type { Source } from '../store/types';
import type { Scope } from '../tenancy/scope';
import { findSourceFor, pauseFor, removeFor, resumeFor, sourcesFor } from '../tenancy/services';
import { exportOpml, importSources } from './catalog';
import { parseOpml } from './opml';

/** The short id moderators type (the end of the source id). */
export const shortId = (s: Source): string => s.id.slice(-8);

/** A source's state in one phrase: ok, new, failing ×N, paused. */
export function stateOf(s: Source): string {
  if (!s.active) return `paused: ${s.pausedReason ?? 'by a moderator'}`;
  if (s.failures > 0) return `failing ×${s.failures}: ${s.lastError ?? ''}`;
  return s.lastSuccessAt ? 'ok' : 'new';
}

/** Fetches and parses a URL the way the poller will, so adding a feed says "not a feed" before adding. */
export async function checkFeed(
  deps: Pick<CommandDeps, 'fetcher' | 'parse'>,
  url: string,
): Promise<{ title: string; items: number; lang?: string } | string> {
  const result = await deps.fetcher.fetch(url, {});
  if (result.kind === 'error') return `I could not fetch it: ${result.message}`;
  if (result.kind === 'not-modified')
    return 'The server answered 304 Not Modified to a first request; I cannot check it.';
  const parsed = await deps.parse(result.body, { url: result.finalUrl });
  if (!parsed.ok) return `That is not a feed I can read: ${parsed.error}`;
  const feed = parsed.value;
  return {
    title: feed.title || new URL(url).hostname,
    items: feed.items.length,
    ...(feed.lang ? { lang: feed.lang } : {}),
  };
}

const SOURCE_ARG = {
  name: 'source',
  description: 'cmd.source',
  kind: 'text',
} as const;

/** `sources`: an operator outside a destination sees every source; in a destination, what it receives. */
export const sourcesCommand = defineCommand({
  name: 'sources',
  description: 'cmd.sources',
  access: 'everyone',
  args: [],
  async run(ctx, _args, deps) {
    const scope = await ctx.scope();
    const list = await sourcesFor(deps, scope);
    if (list.length === 0)
      return ctx.reply(
        scope.here.length > 0
          ? `This chat subscribes to no source yet. Its moderators can add a feed with ${ctx.command('add')}.`
          : scope.actor.operator
            ? `No sources yet. A moderator can add a feed with ${ctx.command('add')} or import an OPML file with ${ctx.command('import')}.`
            : `No sources here. ${ctx.command('sources')} in a destination lists what it receives.`,
      );
    const lines = list.map(
      ({ source: s, subscription, subscribers }) =>
        `${ctx.code(shortId(s))} ${s.trusted ? '' : '(needs approval) '}${s.title} — ${ctx.link(s.url)} [${s.tags.join(', ')}] ${stateOf(s)}${
          subscription?.pausedReason ? ` (paused here: ${subscription.pausedReason})` : ''
        }${subscribers === null ? '' : ` · ${subscribers} channel(s)`}`,
    );
    const head = scope.here.length > 0 ? 'This chat receives' : 'The network has';
    await ctx.reply(`${head} ${list.length} source(s):\n${lines.join('\n')}`);
  },
});

/** Runs `change` on the source the member named, among those they can see; answers what it did. */
const onSource =
  (change: (scope: Scope, source: Source, ctx: CommandContext, deps: CommandDeps) => Promise<string>) =>
  async (ctx: CommandContext, args: CommandArgs, deps: CommandDeps) => {
    const scope = await ctx.scope();
    const ref = textArg(args, 'source');
    const found = ref
      ? await findSourceFor(deps, scope, ref)
      : `Which source? Give its id (as ${ctx.command('sources')} lists it) or its feed URL.`;
    if (typeof found === 'string')
      return ctx.reply(found.endsWith(' here.') ? `${found} ${ctx.command('sources')} lists them.` : found);
    const text = await change(scope, found, ctx, deps);
    await deps.channelsChanged?.();
    await ctx.reply(text);
  };

const who = (ctx: CommandContext) =>
  `${ctx.user?.name ?? 'a moderator'} in ${ctx.platform[0]!.toUpperCase()}${ctx.platform.slice(1)}`;

/** `remove SOURCE`: an operator removes it from the network; a channel's moderators unsubscribe their channel. */
export const removeCommand = defineCommand({
  name: 'remove',
  description: 'cmd.remove',
  access: 'moderator',
  args: [{ ...SOURCE_ARG, required: true }],
  run: onSource((scope, source, _ctx, deps) => removeFor(deps, scope, source)),
});

/** `pause SOURCE`: an operator stops fetching it; a channel's moderators pause their channel's subscription. */
export const pauseCommand = defineCommand({
  name: 'pause',
  description: 'cmd.pause',
  access: 'moderator',
  args: [{ ...SOURCE_ARG, required: true }],
  run: onSource(
    async (scope, source, ctx, deps) =>
      `${await pauseFor(deps, scope, source, who(ctx))} ${ctx.command('resume', { source: shortId(source) })} undoes it.`,
  ),
});

/** `resume [SOURCE]`: resume a source (operators) or this chat's subscription, or (alone) restart posting here after the platform refused it. */
export const resumeCommand = defineCommand({
  name: 'resume',
  description: 'cmd.resume',
  access: 'moderator',
  args: [SOURCE_ARG],
  async run(ctx, args, deps) {
    if (!textArg(args, 'source')) {
      const moved = (await ctx.resumePosting?.()) ?? null;
      if (moved === null)
        return ctx.reply(`Posting here is not paused. To resume a source: ${ctx.command('resume', { source: 'ID' })}.`);
      return ctx.reply(`Posting here resumed; ${moved} waiting post(s) go out now.`);
    }
    await onSource((scope, source, _ctx, d) => resumeFor(d, scope, source))(ctx, args, deps);
  },
});

/** `export`: every source as an OPML 2.0 file. */
export const exportCommand = defineCommand({
  name: 'export',
  description: 'cmd.export',
  access: 'operator',
  args: [],
  async run(ctx, _args, deps) {
    const xml = await exportOpml(deps.store, new Date(deps.now()));
    const count = (await deps.store.listSources()).length;
    await ctx.reply({
      text: `${count} source(s) as OPML 2.0`,
      file: { name: 'scipop-sources.opml', data: new TextEncoder().encode(xml) },
    });
  },
});

/** `import FILE`: sources from an OPML file, added or updated. */
export const importCommand = defineCommand({
  name: 'import',
  description: 'cmd.import',
  access: 'operator',
  args: [{ name: 'file', description: 'cmd.import.file', kind: 'file', required: true }],
  async run(ctx, args, deps) {
    const file = args.file;
    if (!file || typeof file !== 'object')
      return ctx.reply(
        `Send the OPML file with ${ctx.command('import')} as its caption, or reply ${ctx.command('import')} to it.`,
      );
    if (file.size > 1_000_000) return ctx.reply('That file is over 1 MB; an OPML list is much smaller.');
    const parsed = parseOpml(await file.read());
    if (!parsed.ok) return ctx.reply(`Not imported: ${parsed.error}`);
    const r = await importSources(deps.store, parsed.value, deps.now());
    await deps.channelsChanged?.(); // the new sources' subscriptions
    const problems = r.problems.length ? `\nSkipped:\n${r.problems.slice(0, 20).join('\n')}` : '';
    await ctx.reply(
      `Imported ${file.name}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.${problems}`,
    );
  },
});
