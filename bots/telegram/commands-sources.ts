import type { Bot, Context } from 'grammy';
import { isFeedUrl } from '../sources/catalog';
import { checkFeed, shortId } from '../sources/commands';
import type { Source } from '../store/types';
import { addFor } from '../tenancy/services';
import type { Scope } from '../tenancy/scope';
import { argsOf, type CommandDeps } from './context';
import { requireModerator } from './scope';
import { formatTarget } from './target';

/** /add (the other source commands are neutral: bots/sources/). */
export function registerSourceCommands(bot: Bot, deps: CommandDeps): void {
  const now = deps.now ?? Date.now;

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
        ? '\nThis chat now receives it too.'
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
        ? '\nThis chat now receives it too.'
        : scope.actor.operator
          ? await becomeDestination(ctx, result.source)
          : '';
    await answer(
      `Added “${result.source.title}” (${feed.items} items now; new ones will be posted). Id: ${shortId(result.source)}${where}`,
    );
  });
}
