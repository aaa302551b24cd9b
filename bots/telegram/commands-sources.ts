import type { Bot, Context } from 'grammy';
import { ChannelRulesSchema } from '../../shared/curation';
import { isFeedUrl } from '../sources/catalog';
import { checkFeed, shortId } from '../sources/commands';
import type { Source } from '../store/types';
import { argsOf, channelsOfChat, requireModerator, type CommandDeps } from './context';
import { formatTarget } from './target';

/** /add and /status (the other source commands are neutral: bots/sources/commands.ts). */
export function registerSourceCommands(bot: Bot, deps: CommandDeps): void {
  const now = deps.now ?? Date.now;

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
