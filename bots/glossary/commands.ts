import { defineCommand, say, textArg } from '../platform/commands';

/** `explain TERM`: the glossary's explanation, for everyone. */
export const explainCommand = defineCommand({
  name: 'explain',
  description: 'cmd.explain',
  access: 'everyone',
  standalone: true,
  args: [{ name: 'term', description: 'cmd.explain.term', kind: 'text', required: true }],
  async run(ctx, args, deps) {
    const term = textArg(args, 'term');
    if (!term) return ctx.reply(say(ctx, 'explain.which', { example: ctx.command('explain', { term: 'exoplanet' }) }));
    const lang = ctx.lang ?? 'en';
    await ctx.reply(
      deps.explain(term, lang === 'en' ? undefined : lang) ?? say(ctx, 'explain.none', { term: term.slice(0, 100) }),
    );
  },
});
