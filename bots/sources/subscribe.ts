import type { ApprovalMode } from '../../shared/curation';
import {
  CommandError,
  defineCommand,
  placeWord,
  say,
  sentences,
  textArg,
  type CommandContext,
} from '../platform/commands';

/** The approval modes, as `subscribe` takes them. */
const APPROVAL: readonly ApprovalMode[] = ['untrusted', 'all', 'none'];

const applied = (ctx: Pick<CommandContext, 'lang'>, live: boolean) =>
  say(ctx, live ? 'subscribe.appliedNow' : 'subscribe.appliedRestart');

/**
 * `subscribe [tags…] [approval]`: makes the place where it is typed a destination (a `chat` channel
 * in the store, which config-file syncs leave alone), where the platform can make one of it
 * (`CommandContext.asDestination`, which also gives the language the new destination speaks). An
 * approval mode among the words is the approval (on a text platform the words come in any order);
 * the other words are tags.
 */
export const subscribeCommand = defineCommand({
  name: 'subscribe',
  description: 'cmd.subscribe',
  access: 'moderator',
  args: [
    { name: 'tags', kind: 'text', description: 'cmd.subscribe.tags' },
    { name: 'approval', kind: 'text', description: 'cmd.subscribe.approval', choices: APPROVAL },
  ],
  async run(ctx, args, deps) {
    const place = ctx.asDestination?.() ?? say(ctx, 'subscribe.cannot', { place: placeWord(ctx) });
    if (typeof place === 'string') return ctx.reply(place);
    const here = await ctx.destinationsHere();
    if (here.length > 0)
      return ctx.reply(
        say(ctx, 'subscribe.already', {
          place: placeWord(ctx),
          titles: here.map((c) => c.title).join(', '),
          filter: ctx.command('filter'),
        }),
      );
    const words = `${textArg(args, 'tags')} ${textArg(args, 'approval')}`.split(/[\s,]+/).filter(Boolean);
    const modes = words.filter((w) => APPROVAL.includes(w.toLowerCase() as ApprovalMode));
    if (modes.length > 1)
      throw new CommandError(say(ctx, 'subscribe.oneApproval', { modes: APPROVAL.join(', '), count: modes.length }));
    const approval = (modes[0]?.toLowerCase() as ApprovalMode | undefined) ?? 'untrusted';
    const tags = words.filter((w) => !modes.includes(w)).map((t) => t.replace(/^#/, '').toLowerCase());
    await deps.store.upsertChannel({ ...place, rules: { tags, approval }, origin: 'chat' }, deps.now());
    const live = (await deps.channelsChanged?.()) ?? false;
    // The new destination speaks its platform's language from now on, and this answer already does.
    const now: Pick<CommandContext, 'lang' | 'placeName'> = { lang: place.lang ?? ctx.lang, placeName: ctx.placeName };
    const what = tags.length ? say(now, 'subscribe.tagged', { tags: tags.join(', ') }) : say(now, 'subscribe.every');
    const queue =
      approval === 'none' ? '' : say(now, approval === 'all' ? 'subscribe.queueAll' : 'subscribe.queueUntrusted');
    await ctx.reply(
      sentences(now, [say(now, 'subscribe.done', { place: placeWord(now), what }), queue, applied(now, live)]),
    );
  },
});

/** `unsubscribe`: undoes `subscribe` here (a destination from the config file stays: it is removed there). */
export const unsubscribeCommand = defineCommand({
  name: 'unsubscribe',
  description: 'cmd.unsubscribe',
  access: 'moderator',
  args: [],
  async run(ctx, _args, deps) {
    const here = await ctx.destinationsHere();
    const mine = here.filter((c) => c.origin === 'chat');
    const place = placeWord(ctx);
    if (mine.length === 0)
      return ctx.reply(say(ctx, here.length ? 'unsubscribe.fromFile' : 'unsubscribe.none', { place }));
    for (const c of mine) await deps.store.removeChannel(c.id, deps.now());
    const live = (await deps.channelsChanged?.()) ?? false;
    await ctx.reply(sentences(ctx, [say(ctx, 'unsubscribe.done', { place }), applied(ctx, live)]));
  },
});
