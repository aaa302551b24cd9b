import { ChannelRulesSchema, describeFilters, editFilters, type FilterKind } from '../../shared/curation';
import { saveChannelRules } from '../curation/channel-rules';
import { defineCommand, placeWord, say, sentences, textArg, type CommandContext } from '../platform/commands';
import type { Channel } from '../store/types';
import { managedOf } from '../tenancy/scope';

const KINDS = ['include', 'exclude', 'include-regex', 'exclude-regex'] as const;
const CHANGE = /^(?:(add|remove)\s+)?(include|exclude|include-regex|exclude-regex)\s+(.+)$/s;

/** A filter change as typed: `clear`, `[add] KIND VALUE` or `remove KIND VALUE`; null when it is none of them. */
export function parseFilterChange(text: string): Parameters<typeof editFilters>[1] | null {
  if (/^clear\b/.test(text)) return { action: 'clear' };
  const m = CHANGE.exec(text);
  if (!m) return null;
  return { action: m[1] === 'remove' ? 'remove' : 'add', kind: m[2] as FilterKind, value: m[3]!.trim() };
}

/** A destination's filters and how to change them, in this platform's words. */
function describe(ctx: CommandContext, channel: Channel): string {
  const change = (args: Record<string, string>) => ctx.command('filter', args);
  return [
    ...describeFilters(channel.title, channel.rules, (x) => ctx.quote(x)),
    '',
    say(ctx, 'filter.changeWith', {
      kinds: KINDS.map((kind) => change({ kind, value: kind.endsWith('regex') ? 'RE' : 'WORDS' })).join(', '),
      remove: change({ action: 'remove', kind: 'KIND', value: 'VALUE' }),
      clear: change({ action: 'clear' }),
    }),
  ].join('\n');
}

/**
 * `filter [change]`: shows or changes the filters of the destination that posts here; in a private
 * chat, of the destination the moderator names first (`filter DESTINATION [change]`).
 */
export const filterCommand = defineCommand({
  name: 'filter',
  description: 'cmd.filter',
  access: 'moderator',
  args: [
    {
      name: 'action',
      description: 'cmd.filter.action',
      kind: 'text',
      choices: ['show', 'add', 'remove', 'clear'],
    },
    { name: 'kind', description: 'cmd.filter.kind', kind: 'text', choices: KINDS },
    { name: 'value', description: 'cmd.filter.value', kind: 'text' },
  ],
  async run(ctx, args, deps) {
    // Telegram's words fill the arguments in order (`exclude crypto`), Discord's options by name: read them as one line.
    let text = ['action', 'kind', 'value']
      .map((name) => textArg(args, name))
      .filter(Boolean)
      .join(' ');
    let channel: Channel | undefined;
    if (ctx.place.kind === 'private') {
      // A destination's moderators work from a private chat, naming it first.
      const mine = managedOf(await ctx.scope()).filter((c) => c.sink === ctx.platform);
      const [first = '', ...rest] = text.split(/\s+/);
      channel = mine.find((c) => c.id === first);
      if (!channel)
        return ctx.reply(
          say(ctx, 'filter.private', {
            example: ctx.command('filter', { destination: mine.map((c) => c.id).join(' | ') || 'ID' }),
          }),
        );
      text = rest.join(' ');
    } else {
      channel = (await ctx.destinationsHere())[0];
      if (!channel)
        return ctx.reply(say(ctx, 'filter.notDestination', { place: placeWord(ctx), platform: ctx.platform }));
    }
    if (!text || /^show\b/.test(text)) return ctx.reply(describe(ctx, channel));
    const change = parseFilterChange(text);
    if (!change)
      return ctx.reply(
        say(ctx, 'filter.usage', {
          add: ctx.command('filter', { kind: `[${KINDS.join('|')}]`, value: 'VALUE' }),
          remove: ctx.command('filter', { action: 'remove', kind: 'KIND', value: 'VALUE' }),
          clear: ctx.command('filter', { action: 'clear' }),
        }),
      );
    const updated = editFilters(ChannelRulesSchema.parse(channel.rules ?? {}), change);
    if (typeof updated === 'string') return ctx.reply(updated);
    const saved = await saveChannelRules(deps, channel, updated);
    if (!saved.ok) return ctx.reply(say(ctx, 'filter.notSaved', { errors: saved.errors.join('; ') }));
    const applied = sentences(ctx, [
      say(ctx, saved.value.live ? 'filter.live' : 'filter.nextRestart'),
      saved.value.fromFile ? say(ctx, 'filter.fromFile') : '',
    ]);
    await ctx.reply(`${describe(ctx, { ...channel, rules: updated })}\n\n${applied}`);
  },
});
