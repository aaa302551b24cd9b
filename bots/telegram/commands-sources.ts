import { InputFile, type Bot, type Context } from 'grammy';
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
import { argsOf, chunks, type CommandDeps } from './context';
import { requireModerator, scopeOfContext } from './scope';
import { formatTarget } from './target';

const shortId = (s: Source) => s.id.slice(-8);

function stateOf(s: Source): string {
  if (!s.active) return `paused: ${s.pausedReason ?? 'by a moderator'}`;
  if (s.failures > 0) return `failing ×${s.failures}: ${s.lastError ?? ''}`;
  return s.lastSuccessAt ? 'ok' : 'new';
}

/** Fetches and parses a URL the way the poller will, so /add answers "not a feed" before adding. */
async function checkFeed(
  deps: CommandDeps,
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

/** /sources, /add, /remove, /pause, /resume, /import, /export, /status. */
export function registerSourceCommands(bot: Bot, deps: CommandDeps): void {
  const now = deps.now ?? Date.now;

  bot.command('sources', async (ctx) => {
    const scope = await scopeOfContext(ctx, deps);
    if (!scope) return;
    const list = await sourcesFor({ store: deps.store, now }, scope);
    if (list.length === 0)
      return void (await ctx.reply(
        scope.here.length > 0
          ? 'This chat subscribes to no source yet. Its administrators can /add a feed URL.'
          : 'No sources here. /sources in a destination chat lists what it receives.',
      ));
    const lines = list.map(
      ({ source: s, subscription, subscribers }) =>
        `${shortId(s)}  ${s.trusted ? '' : '(needs approval) '}${s.title} — ${s.url} [${s.tags.join(', ')}] ${stateOf(s)}${
          subscription?.pausedReason ? ` (paused here: ${subscription.pausedReason})` : ''
        }${subscribers === null ? '' : ` · ${subscribers} channel(s)`}`,
    );
    const head = scope.here.length > 0 ? 'This chat receives' : 'The network has';
    for (const part of chunks(`${head} ${list.length} source(s):\n${lines.join('\n')}`))
      await ctx.reply(part, { link_preview_options: { is_disabled: true } });
  });

  /** Makes this chat (not yet a destination) one, for an operator's source. */
  const becomeDestination = async (ctx: Context, source: Source): Promise<string> => {
    const chat = ctx.chat!;
    if (chat.type === 'private') return '';
    const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
    const target = formatTarget({ chatId: String(chat.id), ...(thread !== undefined ? { threadId: thread } : {}) });
    const title = 'title' in chat && chat.title ? chat.title : target;
    await deps.store.upsertChannel(
      { id: `tg:${target}`, sink: 'telegram', target, title, rules: { sources: [source.id] }, origin: 'chat' },
      now(),
    );
    const live = (await deps.channelsChanged?.()) ?? false;
    return `\nThis chat is now a SciPop destination for it${live ? '' : ' (from the next restart)'}; /add more feeds here, /filter to narrow them.`;
  };

  const subscribeHere = async (ctx: Context, scope: Scope, url: string, tags: string[], existing?: Source) => {
    const input = { url, title: existing?.title ?? url, tags, lang: null };
    const result = await addFor({ store: deps.store, now }, scope, input, existing);
    if (result.subscribed.length > 0) await deps.channelsChanged?.();
    const where =
      result.subscribed.length > 0
        ? `\n${result.subscribed.join(', ')} now receive${result.subscribed.length === 1 ? 's' : ''} it.`
        : scope.actor.operator
          ? await becomeDestination(ctx, result.source)
          : '';
    return { ...result, where };
  };

  bot.command('add', async (ctx) => {
    const scope = await requireModerator(ctx, deps);
    if (!scope) return;
    const [url, ...rawTags] = argsOf(ctx).split(/\s+/).filter(Boolean);
    if (!url || !isFeedUrl(url))
      return void (await ctx.reply(
        'Usage: /add URL [tags…] — the URL of an RSS, Atom, RDF or JSON feed, e.g. /add https://www.nasa.gov/feed/ astronomy',
      ));
    const tags = rawTags.map((t) => t.replace(/^#/, '').toLowerCase());
    const existing = await deps.store.getSource(url);
    if (existing) {
      const { where } = await subscribeHere(ctx, scope, url, tags, existing);
      return void (await ctx.reply(
        `“${existing.title}” is already a source (${shortId(existing)}).${where || ' /sources lists them.'}`,
      ));
    }
    const checking = await ctx.reply(`Checking ${url} …`, { link_preview_options: { is_disabled: true } });
    const feed = await checkFeed(deps, url);
    const answer = async (text: string) =>
      ctx.api.editMessageText(checking.chat.id, checking.message_id, text, {
        link_preview_options: { is_disabled: true },
      });
    if (typeof feed === 'string') return void (await answer(`Not added. ${feed}`));
    const input = { url, title: feed.title, tags, lang: feed.lang ?? null };
    const result = await addFor({ store: deps.store, now }, scope, input, undefined);
    if (result.subscribed.length > 0) await deps.channelsChanged?.();
    const where =
      result.subscribed.length > 0
        ? `\n${result.subscribed.join(', ')} now receive${result.subscribed.length === 1 ? 's' : ''} it.`
        : scope.actor.operator
          ? await becomeDestination(ctx, result.source)
          : '';
    await answer(
      `Added “${result.source.title}” (${feed.items} items now; new ones will be posted). Id: ${shortId(result.source)}${where}`,
    );
  });

  const who = (ctx: Context) => `${ctx.from?.username ? `@${ctx.from.username}` : 'a moderator'} in Telegram`;
  const onSource =
    (change: (scope: Scope, source: Source, ctx: Context) => Promise<string>) => async (ctx: Context) => {
      const scope = await requireModerator(ctx, deps);
      if (!scope) return;
      const found = await findSourceFor({ store: deps.store, now }, scope, argsOf(ctx));
      if (typeof found === 'string') return void (await ctx.reply(found));
      const text = await change(scope, found, ctx);
      await deps.channelsChanged?.();
      await ctx.reply(text);
    };
  bot.command(
    'remove',
    onSource((scope, source) => removeFor({ store: deps.store, now }, scope, source)),
  );
  bot.command(
    'pause',
    onSource(async (scope, source, ctx) => {
      const text = await pauseFor({ store: deps.store, now }, scope, source, who(ctx));
      return `${text} /resume ${shortId(source)} to receive it again.`;
    }),
  );

  bot.command('resume', async (ctx) => {
    const ref = argsOf(ctx);
    if (!ref) {
      if (!(await requireModerator(ctx, deps))) return;
      const paused = await deps.state.paused(await deps.state.currentChat(String(ctx.chat.id)));
      if (!paused) return void (await ctx.reply('Usage: /resume SOURCE (this chat’s posting is not paused).'));
      const moved = await deps.sink.resumeChat(String(ctx.chat.id));
      return void (await ctx.reply(`Posting here resumed; ${moved} waiting post(s) go out now.`));
    }
    await onSource((scope, source) => resumeFor({ store: deps.store, now }, scope, source))(ctx);
  });

  const importFrom = async (ctx: Context) => {
    const doc = ctx.msg?.document ?? ctx.msg?.reply_to_message?.document;
    if (!doc) return void (await ctx.reply('Send the OPML file with /import as its caption, or reply /import to it.'));
    if ((doc.file_size ?? 0) > 1_000_000)
      return void (await ctx.reply('That file is over 1 MB; an OPML list is much smaller.'));
    const file = await ctx.api.getFile(doc.file_id);
    if (!file.file_path) return void (await ctx.reply('Telegram did not give me the file; try sending it again.'));
    const parsed = parseOpml((await deps.download(file.file_path)).toString('utf8'));
    if (!parsed.ok) return void (await ctx.reply(`Not imported: ${parsed.error}`));
    const r = await importSources(deps.store, parsed.value, now());
    await deps.channelsChanged?.(); // new sources' subscriptions
    const problems = r.problems.length ? `\nSkipped:\n${r.problems.slice(0, 20).join('\n')}` : '';
    await ctx.reply(
      `Imported ${doc.file_name ?? 'the file'}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.${problems}`,
    );
  };

  // Importing adds to and changes the network's sources: operators only.
  bot.command('import', async (ctx) => {
    if (await requireModerator(ctx, deps, 'operator')) await importFrom(ctx);
  });
  bot.on('message:document', async (ctx, next) => {
    if (!/^\/import(@\w+)?\b/.test(ctx.msg.caption ?? '')) return next();
    if (await requireModerator(ctx, deps, 'operator')) await importFrom(ctx);
  });

  bot.command('export', async (ctx) => {
    if (!(await requireModerator(ctx, deps, 'operator'))) return;
    const xml = await exportOpml(deps.store, new Date(now()));
    const count = (await deps.store.listSources()).length;
    await ctx.replyWithDocument(new InputFile(Buffer.from(xml, 'utf8'), 'scipop-sources.opml'), {
      caption: `${count} source(s) as OPML 2.0`,
    });
  });

  bot.command('status', async (ctx) => {
    const scope = await requireModerator(ctx, deps);
    if (!scope) return;
    const tenancy = { store: deps.store, now };
    const [stats, sources, held] = await Promise.all([
      deps.store.stats(),
      statusSourcesFor(tenancy, scope),
      heldFor(tenancy, scope, 1000),
    ]);
    const channels = targetsOf(scope);
    const failing = sources.filter((s) => s.active && s.failures > 0);
    const paused = sources.filter((s) => !s.active).length;
    const recent = await deps.state.recentSent(await deps.state.currentChat(String(ctx.chat.id)), 5);
    // Outbox totals are the network's: operators only. A channel's moderators see their own chat.
    const pausedDestinations = (await deps.state.allPaused()).filter(
      (p) => scope.actor.operator || scope.here.some((c) => c.place === p.chatId),
    );
    const lines = [
      `Sources${scope.actor.operator ? '' : ' this chat uses'}: ${sources.length - paused} active, ${paused} paused, ${failing.length ? `${failing.length} failing` : 'none failing'}`,
      ...failing.slice(0, 5).map((s) => `  • ${s.title}: ${s.lastError ?? 'error'} (×${s.failures})`),
      ...(scope.actor.operator
        ? [
            `Outbox: ${stats.deliveries.pending} waiting, ${stats.deliveries.sent} sent, ${stats.deliveries.failed} failed`,
          ]
        : []),
      `Approval queue${channels.length ? ' here' : ''}: ${held.length}`,
      channels.length
        ? `This chat receives: ${channels.map((c) => c.title).join(', ')}`
        : 'This chat is not a destination.',
      ...pausedDestinations.map((p) => `Paused destination ${p.chatId}: ${p.reason}`),
      recent.length ? 'Last posts here:' : 'No posts here yet.',
      ...recent.map((r) => `  • ${new Date(r.sentAt).toISOString().slice(0, 16).replace('T', ' ')} ${r.title}`),
    ];
    await ctx.reply(lines.join('\n'), { link_preview_options: { is_disabled: true } });
  });
}
