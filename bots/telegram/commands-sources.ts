import { InputFile, type Bot, type Context } from 'grammy';
import { ChannelRulesSchema } from '../../shared/curation';
import { exportOpml, importSources, isFeedUrl } from '../sources/catalog';
import { parseOpml } from '../sources/opml';
import type { Source } from '../store/types';
import { argsOf, channelsOfChat, chunks, requireModerator, type CommandDeps } from './context';
import { formatTarget } from './target';

const shortId = (s: Source) => s.id.slice(-8);

function stateOf(s: Source): string {
  if (!s.active) return `paused: ${s.pausedReason ?? 'by a moderator'}`;
  if (s.failures > 0) return `failing ×${s.failures}: ${s.lastError ?? ''}`;
  return s.lastSuccessAt ? 'ok' : 'new';
}

async function findSource(deps: CommandDeps, ref: string): Promise<Source | string> {
  if (!ref) return 'Which source? Give its id (as /sources lists it) or its feed URL.';
  const exact = await deps.store.getSource(ref);
  if (exact) return exact;
  const matches = (await deps.store.listSources()).filter((s) => s.id.endsWith(ref));
  if (matches.length === 1) return matches[0]!;
  return matches.length > 1
    ? `“${ref}” matches ${matches.length} sources; give more of the id.`
    : `No source “${ref}”. /sources lists them.`;
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
    const list = await deps.store.listSources();
    if (list.length === 0)
      return void (await ctx.reply('No sources yet. A moderator can /add a feed URL or /import an OPML file.'));
    const lines = list.map(
      (s) =>
        `${shortId(s)}  ${s.trusted ? '' : '(needs approval) '}${s.title} — ${s.url} [${s.tags.join(', ')}] ${stateOf(s)}`,
    );
    for (const part of chunks(`${list.length} source(s):\n${lines.join('\n')}`))
      await ctx.reply(part, { link_preview_options: { is_disabled: true } });
  });

  /** Makes this chat (or topic) receive a source: a new destination, or one more feed for a chat-made one. */
  const receiveHere = async (ctx: Context, source: Source): Promise<string> => {
    const chat = ctx.chat!;
    if (chat.type === 'private') return '';
    const here = await channelsOfChat(deps, chat.id);
    if (here.length === 0) {
      // Only configured moderators get this far in a chat that is not a destination.
      const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
      const target = formatTarget({ chatId: String(chat.id), ...(thread !== undefined ? { threadId: thread } : {}) });
      const title = 'title' in chat && chat.title ? chat.title : target;
      await deps.store.upsertChannel(
        { id: `tg:${target}`, sink: 'telegram', target, title, rules: { sources: [source.id] }, origin: 'chat' },
        now(),
      );
      const live = (await deps.channelsChanged?.()) ?? false;
      return `\nThis chat is now a SciPop destination for it${live ? '' : ' (from the next restart)'}; /add more feeds here, /filter to narrow them.`;
    }
    let changed = false;
    for (const c of here.filter((x) => x.origin === 'chat')) {
      const rules = ChannelRulesSchema.parse(c.rules ?? {});
      if (rules.sources.length === 0 || rules.sources.includes(source.id)) continue;
      await deps.store.upsertChannel({ ...c, rules: { ...rules, sources: [...rules.sources, source.id] } }, now());
      changed = true;
    }
    if (changed) await deps.channelsChanged?.();
    return changed ? '\nThis chat now receives it too.' : '';
  };

  bot.command('add', async (ctx) => {
    if (!(await requireModerator(ctx, deps))) return;
    const [url, ...tags] = argsOf(ctx).split(/\s+/).filter(Boolean);
    if (!url || !isFeedUrl(url))
      return void (await ctx.reply(
        'Usage: /add URL [tags…] — the URL of an RSS, Atom, RDF or JSON feed, e.g. /add https://www.nasa.gov/feed/ astronomy',
      ));
    const existing = await deps.store.getSource(url);
    if (existing) {
      const where = await receiveHere(ctx, existing);
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
    const source = await deps.store.addSource(
      { url, title: feed.title, tags: tags.map((t) => t.replace(/^#/, '').toLowerCase()), lang: feed.lang ?? null },
      now(),
    );
    const where = await receiveHere(ctx, source);
    await answer(
      `Added “${source.title}” (${feed.items} items now; new ones will be posted). Id: ${shortId(source)}${where}`,
    );
  });

  bot.command('remove', async (ctx) => {
    if (!(await requireModerator(ctx, deps))) return;
    const found = await findSource(deps, argsOf(ctx));
    if (typeof found === 'string') return void (await ctx.reply(found));
    await deps.store.removeSource(found.id);
    await ctx.reply(`Removed “${found.title}”.`);
  });

  bot.command('pause', async (ctx) => {
    if (!(await requireModerator(ctx, deps))) return;
    const found = await findSource(deps, argsOf(ctx));
    if (typeof found === 'string') return void (await ctx.reply(found));
    await deps.store.pauseSource(
      found.id,
      `paused by ${ctx.from?.username ? `@${ctx.from.username}` : 'a moderator'} in Telegram`,
      now(),
    );
    await ctx.reply(`Paused “${found.title}”. /resume ${shortId(found)} to fetch it again.`);
  });

  bot.command('resume', async (ctx) => {
    if (!(await requireModerator(ctx, deps))) return;
    const ref = argsOf(ctx);
    if (!ref) {
      const paused = await deps.state.paused(await deps.state.currentChat(String(ctx.chat.id)));
      if (!paused) return void (await ctx.reply('Usage: /resume SOURCE (this chat’s posting is not paused).'));
      const moved = await deps.sink.resumeChat(String(ctx.chat.id));
      return void (await ctx.reply(`Posting here resumed; ${moved} waiting post(s) go out now.`));
    }
    const found = await findSource(deps, ref);
    if (typeof found === 'string') return void (await ctx.reply(found));
    await deps.store.resumeSource(found.id, now());
    await ctx.reply(`Resumed “${found.title}”; it is fetched at the next tick.`);
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
    const problems = r.problems.length ? `\nSkipped:\n${r.problems.slice(0, 20).join('\n')}` : '';
    await ctx.reply(
      `Imported ${doc.file_name ?? 'the file'}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.${problems}`,
    );
  };
  bot.command('import', async (ctx) => {
    if (await requireModerator(ctx, deps)) await importFrom(ctx);
  });
  bot.on('message:document', async (ctx, next) => {
    if (!/^\/import(@\w+)?\b/.test(ctx.msg.caption ?? '')) return next();
    if (await requireModerator(ctx, deps)) await importFrom(ctx);
  });

  bot.command('export', async (ctx) => {
    if (!(await requireModerator(ctx, deps))) return;
    const xml = await exportOpml(deps.store, new Date(now()));
    const count = (await deps.store.listSources()).length;
    await ctx.replyWithDocument(new InputFile(Buffer.from(xml, 'utf8'), 'scipop-sources.opml'), {
      caption: `${count} source(s) as OPML 2.0`,
    });
  });

  bot.command('status', async (ctx) => {
    if (!(await requireModerator(ctx, deps))) return;
    const [stats, sources, channels] = await Promise.all([
      deps.store.stats(),
      deps.store.listSources(),
      channelsOfChat(deps, ctx.chat.id),
    ]);
    const failing = sources.filter((s) => s.active && s.failures > 0).slice(0, 5);
    const held = (await Promise.all(channels.map((c) => deps.store.heldDeliveries(c.id, 1000)))).flat().length;
    const recent = await deps.state.recentSent(await deps.state.currentChat(String(ctx.chat.id)), 5);
    const lines = [
      `Sources: ${stats.activeSources} active, ${stats.pausedSources} paused, ${failing.length ? `${sources.filter((s) => s.active && s.failures > 0).length} failing` : 'none failing'}`,
      ...failing.map((s) => `  • ${s.title}: ${s.lastError ?? 'error'} (×${s.failures})`),
      `Outbox: ${stats.deliveries.pending} waiting, ${stats.deliveries.sent} sent, ${stats.deliveries.failed} failed`,
      `Approval queue${channels.length ? ' here' : ''}: ${channels.length ? held : stats.deliveries.held}`,
      channels.length
        ? `This chat receives: ${channels.map((c) => c.title).join(', ')}`
        : 'This chat is not a destination.',
      ...(await deps.state.allPaused()).map((p) => `Paused destination ${p.chatId}: ${p.reason}`),
      recent.length ? 'Last posts here:' : 'No posts here yet.',
      ...recent.map((r) => `  • ${new Date(r.sentAt).toISOString().slice(0, 16).replace('T', ' ')} ${r.title}`),
    ];
    await ctx.reply(lines.join('\n'), { link_preview_options: { is_disabled: true } });
  });
}
