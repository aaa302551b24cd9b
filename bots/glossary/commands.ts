import { defineCommand, textArg } from '../platform/commands';

/** `explain TERM`: the glossary's explanation, for everyone. */
export const explainCommand = defineCommand({
  name: 'explain',
  description: 'cmd.explain',
  access: 'everyone',
  standalone: true,
  args: [{ name: 'term', description: 'cmd.explain.term', kind: 'text', required: true }],
  async run(ctx, args, deps) {
    const term = textArg(args, 'term');
    if (!term) return ctx.reply(`Which term? For example ${ctx.command('explain', { term: 'exoplanet' })}`);
    await ctx.reply(deps.explain(term) ?? `I have no explanation for “${term.slice(0, 100)}” yet.`);
  },
});
