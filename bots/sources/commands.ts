import { defineCommand, textArg, type CommandContext, type CommandDeps } from '../platform/commands';
import type { Source } from '../store/types';
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

/** Finds a source by id, id suffix or URL; a string is the answer to give instead. */
export async function findSource(deps: CommandDeps, ctx: CommandContext, ref: string): Promise<Source | string> {
  if (!ref) return `Which source? Give its id (as ${ctx.command('sources')} lists it) or its feed URL.`;
  const exact = await deps.store.getSource(ref);
  if (exact) return exact;
  const matches = (await deps.store.listSources()).filter((s) => s.id.endsWith(ref));
  if (matches.length === 1) return matches[0]!;
  return matches.length > 1
    ? `“${ref}” matches ${matches.length} sources; give more of the id.`
    : `No source “${ref}”. ${ctx.command('sources')} lists them.`;
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
  description: 'Source id (as sources lists it) or feed URL',
  kind: 'text',
} as const;

/** `sources`: every source with its short id, URL, tags and state. */
export const sourcesCommand = defineCommand({
  name: 'sources',
  description: 'List the feed sources and their state',
  access: 'everyone',
  args: [],
  async run(ctx, _args, deps) {
    const list = await deps.store.listSources();
    if (list.length === 0)
      return ctx.reply(
        `No sources yet. A moderator can add a feed with ${ctx.command('add')} or import an OPML file with ${ctx.command('import')}.`,
      );
    const lines = list.map(
      (s) =>
        `${ctx.code(shortId(s))} ${s.trusted ? '' : '(needs approval) '}${s.title} — ${ctx.link(s.url)} [${s.tags.join(', ')}] ${stateOf(s)}`,
    );
    await ctx.reply(`${list.length} source(s):\n${lines.join('\n')}`);
  },
});

/** `remove SOURCE`: the source and what it recorded go. */
export const removeCommand = defineCommand({
  name: 'remove',
  description: 'Remove a source',
  access: 'moderator',
  args: [{ ...SOURCE_ARG, required: true }],
  async run(ctx, args, deps) {
    const found = await findSource(deps, ctx, textArg(args, 'source'));
    if (typeof found === 'string') return ctx.reply(found);
    await deps.store.removeSource(found.id);
    await ctx.reply(`Removed “${found.title}”.`);
  },
});

/** `pause SOURCE`: no more fetching until resumed. */
export const pauseCommand = defineCommand({
  name: 'pause',
  description: 'Stop fetching a source',
  access: 'moderator',
  args: [{ ...SOURCE_ARG, required: true }],
  async run(ctx, args, deps) {
    const found = await findSource(deps, ctx, textArg(args, 'source'));
    if (typeof found === 'string') return ctx.reply(found);
    const platform = ctx.platform[0]!.toUpperCase() + ctx.platform.slice(1);
    await deps.store.pauseSource(found.id, `paused by ${ctx.user?.name ?? 'a moderator'} in ${platform}`, deps.now());
    await ctx.reply(`Paused “${found.title}”. ${ctx.command('resume', { source: shortId(found) })} fetches it again.`);
  },
});

/** `resume [SOURCE]`: fetch a paused source again, or (alone) restart posting here after the platform refused it. */
export const resumeCommand = defineCommand({
  name: 'resume',
  description: 'Resume a source, or (without one) this chat’s paused posting',
  access: 'moderator',
  args: [SOURCE_ARG],
  async run(ctx, args, deps) {
    const ref = textArg(args, 'source');
    if (!ref) {
      const moved = (await ctx.resumePosting?.()) ?? null;
      if (moved === null)
        return ctx.reply(`Posting here is not paused. To resume a source: ${ctx.command('resume', { source: 'ID' })}.`);
      return ctx.reply(`Posting here resumed; ${moved} waiting post(s) go out now.`);
    }
    const found = await findSource(deps, ctx, ref);
    if (typeof found === 'string') return ctx.reply(found);
    await deps.store.resumeSource(found.id, deps.now());
    await ctx.reply(`Resumed “${found.title}”; it is fetched at the next tick.`);
  },
});

/** `export`: every source as an OPML 2.0 file. */
export const exportCommand = defineCommand({
  name: 'export',
  description: 'Every source as an OPML file',
  access: 'moderator',
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
  description: 'Import sources from an OPML file',
  access: 'moderator',
  args: [{ name: 'file', description: 'The .opml file', kind: 'file', required: true }],
  async run(ctx, args, deps) {
    const file = args.file;
    if (!file || typeof file === 'string')
      return ctx.reply(
        `Send the OPML file with ${ctx.command('import')} as its caption, or reply ${ctx.command('import')} to it.`,
      );
    if (file.size > 1_000_000) return ctx.reply('That file is over 1 MB; an OPML list is much smaller.');
    const parsed = parseOpml(await file.read());
    if (!parsed.ok) return ctx.reply(`Not imported: ${parsed.error}`);
    const r = await importSources(deps.store, parsed.value, deps.now());
    const problems = r.problems.length ? `\nSkipped:\n${r.problems.slice(0, 20).join('\n')}` : '';
    await ctx.reply(
      `Imported ${file.name}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.${problems}`,
    );
  },
});
