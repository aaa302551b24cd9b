import type { ChatLang } from '../../shared/i18n/lang';
import { translate } from '../../shared/i18n/translate';
import {
  defineCommand,
  say,
  sentences,
  textArg,
  type CommandArgs,
  type CommandContext,
  type CommandDeps,
} from '../platform/commands';
import type { Source } from '../store/types';
import type { Scope } from '../tenancy/scope';
import { findSourceFor, pauseFor, removeFor, resumeFor, sourcesFor } from '../tenancy/services';
import { exportOpml, importSources } from './catalog';
import { parseOpml } from './opml';

/** The short id moderators type (the end of the source id). */
export const shortId = (s: Source): string => s.id.slice(-8);

/** A source's state in one phrase: ok, new, failing ×N, paused. */
export function stateOf(s: Source, lang: ChatLang = 'en'): string {
  if (!s.active)
    return translate(lang, 'sources.state.paused', {
      reason: s.pausedReason ?? translate(lang, 'sources.state.byModerator'),
    });
  if (s.failures > 0) return translate(lang, 'sources.state.failing', { n: s.failures, error: s.lastError ?? '' });
  return translate(lang, s.lastSuccessAt ? 'sources.state.ok' : 'sources.state.new');
}

/** Fetches and parses a URL the way the poller will, so adding a feed says "not a feed" before adding. */
export async function checkFeed(
  deps: Pick<CommandDeps, 'fetcher' | 'parse'>,
  url: string,
  lang: ChatLang = 'en',
): Promise<{ title: string; items: number; lang?: string } | string> {
  const result = await deps.fetcher.fetch(url, {});
  if (result.kind === 'error') return translate(lang, 'feed.fetchFailed', { error: result.message });
  if (result.kind === 'not-modified') return translate(lang, 'feed.notModified');
  const parsed = await deps.parse(result.body, { url: result.finalUrl });
  if (!parsed.ok) return translate(lang, 'feed.notFeed', { error: parsed.error });
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
          ? say(ctx, 'sources.noneHere', { add: ctx.command('add') })
          : scope.actor.operator
            ? say(ctx, 'sources.noneYet', { add: ctx.command('add'), import: ctx.command('import') })
            : say(ctx, 'sources.noneVisible', { sources: ctx.command('sources') }),
      );
    const lang = ctx.lang ?? 'en';
    const lines = list.map(
      ({ source: s, subscription, subscribers }) =>
        `${ctx.code(shortId(s))} ${s.trusted ? '' : say(ctx, 'sources.needsApproval')}${s.title} — ${ctx.link(s.url)} [${s.tags.join(', ')}] ${stateOf(s, lang)}${
          subscription?.pausedReason ? say(ctx, 'sources.pausedHere', { reason: subscription.pausedReason }) : ''
        }${subscribers === null ? '' : say(ctx, 'sources.channels', { n: subscribers })}`,
    );
    const head = say(ctx, scope.here.length > 0 ? 'sources.headHere' : 'sources.headNetwork', { n: list.length });
    await ctx.reply(`${head}\n${lines.join('\n')}`);
  },
});

/** Runs `change` on the source the member named, among those they can see; answers what it did. */
const onSource =
  (change: (scope: Scope, source: Source, ctx: CommandContext, deps: CommandDeps) => Promise<string>) =>
  async (ctx: CommandContext, args: CommandArgs, deps: CommandDeps) => {
    const scope = await ctx.scope();
    const ref = textArg(args, 'source');
    const found = ref
      ? await findSourceFor(deps, scope, ref, ctx.lang)
      : say(ctx, 'sources.which', { sources: ctx.command('sources') });
    if (typeof found === 'string')
      return ctx.reply(
        found === say(ctx, 'sources.notHere', { ref })
          ? sentences(ctx, [found, say(ctx, 'sources.listsThem', { sources: ctx.command('sources') })])
          : found,
      );
    const text = await change(scope, found, ctx, deps);
    await deps.channelsChanged?.();
    await ctx.reply(text);
  };

const who = (ctx: CommandContext) =>
  `${ctx.user?.name ?? 'a moderator'} in ${ctx.platform[0]!.toUpperCase()}${ctx.platform.slice(1)}`; // stored, not shown as a reply

/** `remove SOURCE`: an operator removes it from the network; a channel's moderators unsubscribe their channel. */
export const removeCommand = defineCommand({
  name: 'remove',
  description: 'cmd.remove',
  access: 'moderator',
  args: [{ ...SOURCE_ARG, required: true }],
  run: onSource((scope, source, ctx, deps) => removeFor(deps, scope, source, ctx.lang)),
});

/** `pause SOURCE`: an operator stops fetching it; a channel's moderators pause their channel's subscription. */
export const pauseCommand = defineCommand({
  name: 'pause',
  description: 'cmd.pause',
  access: 'moderator',
  args: [{ ...SOURCE_ARG, required: true }],
  run: onSource(async (scope, source, ctx, deps) =>
    sentences(ctx, [
      await pauseFor(deps, scope, source, who(ctx), ctx.lang),
      say(ctx, 'sources.undo', { resume: ctx.command('resume', { source: shortId(source) }) }),
    ]),
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
        return ctx.reply(say(ctx, 'resume.notPaused', { resume: ctx.command('resume', { source: 'ID' }) }));
      return ctx.reply(say(ctx, 'resume.done', { n: moved }));
    }
    await onSource((scope, source, c, d) => resumeFor(d, scope, source, c.lang))(ctx, args, deps);
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
      text: say(ctx, 'export.done', { n: count }),
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
    if (!file || typeof file !== 'object') return ctx.reply(say(ctx, 'import.how', { import: ctx.command('import') }));
    if (file.size > 1_000_000) return ctx.reply(say(ctx, 'import.tooBig'));
    const parsed = parseOpml(await file.read());
    if (!parsed.ok) return ctx.reply(say(ctx, 'import.failed', { error: parsed.error }));
    const r = await importSources(deps.store, parsed.value, deps.now());
    await deps.channelsChanged?.(); // the new sources' subscriptions
    const problems = r.problems.length ? `\n${say(ctx, 'import.skipped')}\n${r.problems.slice(0, 20).join('\n')}` : '';
    await ctx.reply(
      say(ctx, 'import.done', { file: file.name, added: r.added, updated: r.updated, unchanged: r.unchanged }) +
        problems,
    );
  },
});
