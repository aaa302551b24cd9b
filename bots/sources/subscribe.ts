import type { ApprovalMode } from '../../shared/curation';
import { CommandError, defineCommand, textArg } from '../platform/commands';

/** The approval modes, as `subscribe` takes them. */
const APPROVAL: readonly ApprovalMode[] = ['untrusted', 'all', 'none'];

const applied = (live: boolean) => (live ? 'It takes effect now.' : 'It takes effect at the next restart.');

/**
 * `subscribe [tags…] [approval]`: makes the place where it is typed a destination (a `chat` channel
 * in the store, which config-file syncs leave alone), where the platform can make one of it
 * (`CommandContext.asDestination`). An approval mode among the words is the approval (on a text
 * platform the words come in any order); the other words are tags.
 */
export const subscribeCommand = defineCommand({
  name: 'subscribe',
  description: 'Post SciPop news in this channel',
  access: 'moderator',
  args: [
    { name: 'tags', kind: 'text', description: 'Only sources with these fields, space-separated (default: all)' },
    {
      name: 'approval',
      kind: 'text',
      description: 'Which posts wait for approval (default: untrusted sources)',
      choices: APPROVAL,
    },
  ],
  async run(ctx, args, deps) {
    const place = ctx.asDestination?.() ?? `SciPop cannot make this ${ctx.placeName} a destination from the chat.`;
    if (typeof place === 'string') return ctx.reply(place);
    const here = await ctx.destinationsHere();
    if (here.length > 0)
      return ctx.reply(
        `This ${ctx.placeName} already receives posts (${here.map((c) => c.title).join(', ')}). ${ctx.command('filter')} changes what it gets.`,
      );
    const words = `${textArg(args, 'tags')} ${textArg(args, 'approval')}`.split(/[\s,]+/).filter(Boolean);
    const modes = words.filter((w) => APPROVAL.includes(w.toLowerCase() as ApprovalMode));
    if (modes.length > 1)
      throw new CommandError(`Give one approval mode (${APPROVAL.join(', ')}), not ${modes.length}.`);
    const approval = (modes[0]?.toLowerCase() as ApprovalMode | undefined) ?? 'untrusted';
    const tags = words.filter((w) => !modes.includes(w)).map((t) => t.replace(/^#/, '').toLowerCase());
    await deps.store.upsertChannel({ ...place, rules: { tags, approval }, origin: 'chat' }, deps.now());
    const live = (await deps.channelsChanged?.()) ?? false;
    const what = tags.length ? `new items of sources tagged ${tags.join(', ')}` : 'new items of every source';
    const queue =
      approval === 'none'
        ? ''
        : approval === 'all'
          ? ' Every post waits for approval first.'
          : ' Posts from sources not marked trusted wait for approval first.';
    await ctx.reply(`This ${ctx.placeName} now receives ${what}.${queue} ${applied(live)}`);
  },
});

/** `unsubscribe`: undoes `subscribe` here (a destination from the config file stays: it is removed there). */
export const unsubscribeCommand = defineCommand({
  name: 'unsubscribe',
  description: 'Stop posting SciPop news in this channel',
  access: 'moderator',
  args: [],
  async run(ctx, _args, deps) {
    const here = await ctx.destinationsHere();
    const mine = here.filter((c) => c.origin === 'chat');
    if (mine.length === 0)
      return ctx.reply(
        here.length
          ? `This ${ctx.placeName}’s destination comes from the config file; remove it there.`
          : `This ${ctx.placeName} is not a SciPop destination.`,
      );
    for (const c of mine) await deps.store.removeChannel(c.id, deps.now());
    const live = (await deps.channelsChanged?.()) ?? false;
    await ctx.reply(
      `This ${ctx.placeName} no longer receives posts. Posts already waiting for it are not sent. ${applied(live)}`,
    );
  },
});
