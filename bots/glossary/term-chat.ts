import { defineAction, defineCommand, textArg, type CommandContext, type CommandDeps } from '../platform/commands';
import { runTermButton, runTermCommand, TERM_USAGE, type TermActor, type TermCard } from './term-commands';
import { termRole } from './term-service';
import { answerGuided, firstQuestion, GUIDED_QUESTION, submittedTermForm, termForm } from './term-guided';
import { GlossaryInputError } from '../../shared/glossary/community/model';
import { mayPropose } from '../../shared/glossary/community/permissions';

const NOT_SET_UP = 'The community glossary is not set up on this network.';

function actorOf(ctx: CommandContext, deps: CommandDeps): TermActor | null {
  if (!deps.term || !ctx.user) return null;
  return {
    platform: ctx.platform,
    id: ctx.user.id,
    name: ctx.user.name,
    role: termRole(deps.term, ctx.platform, ctx.user.id, ctx.place.id),
  };
}

const STYLE = { Approve: 'primary', Edit: 'secondary', Reject: 'danger' } as const;

async function send(ctx: CommandContext, cards: readonly TermCard[]): Promise<void> {
  for (const card of cards) {
    await ctx.reply(
      card.buttons
        ? {
            text: card.text,
            buttons: [
              card.buttons.map((b) => ({ label: b.label, action: 'term', data: b.data, style: STYLE[b.label] })),
            ],
          }
        : card.text,
    );
  }
}

/** The term of `add TERM` with no fields after it (the guided form), or null. */
function guidedAdd(input: string): string | null {
  const m = /^add\s+([^\n]+)$/i.exec(input);
  return m && !/\b[a-z]+\s*:/i.test(m[1]!) ? m[1]!.trim() : null;
}

/** `/term …`: the community glossary for moderators (propose) and editors (decide), on every platform. */
export const termCommand = defineCommand({
  name: 'term',
  description: 'cmd.term',
  access: 'moderator',
  standalone: true,
  args: [
    {
      name: 'input',
      description: 'cmd.term.input',
      kind: 'text',
    },
  ],
  async run(ctx, args, deps) {
    const actor = actorOf(ctx, deps);
    if (!actor || !deps.term) return ctx.reply(NOT_SET_UP);
    const input = textArg(args, 'input');
    if (!input) return ctx.reply(TERM_USAGE);
    // `/term add TERM` alone, where the member can reply to a question: one field at a time.
    const term = guidedAdd(input);
    if (term && ctx.asks) {
      if (!mayPropose(actor.role)) return ctx.reply('Sorry: only moderators and editors may propose entries.');
      const live = await deps.term.glossary.findLive(term);
      if (live)
        return ctx.reply(`“${term}” already has an entry (${live.entry.id}); /term edit ${term} proposes a change.`);
      return ctx.reply({ text: firstQuestion(term), ask: true });
    }
    await send(ctx, await runTermCommand(deps.term, actor, input));
  },
  forms: {
    // `/term add TERM` alone, where the platform has forms: the five fields at once.
    async open(ctx, args, deps) {
      const actor = actorOf(ctx, deps);
      const term = guidedAdd(textArg(args, 'input'));
      if (!actor || !deps.term || !term || !mayPropose(actor.role)) return null;
      return (await deps.term.glossary.findLive(term)) ? null : termForm(term);
    },
    async submit(ctx, term, values, deps) {
      const actor = actorOf(ctx, deps);
      if (!actor || !deps.term) return ctx.reply(NOT_SET_UP);
      const form = submittedTermForm(term, values);
      if ('problems' in form)
        return ctx.reply(
          [
            `Nothing was stored; fix these and send /term add ${term} again:`,
            ...form.problems.map((p) => `• ${p}`),
            '',
            'What you wrote, to copy from:',
            ...Object.entries(values).map(([k, v]) => `${k}: ${v}`),
          ].join('\n'),
        );
      await send(ctx, await runTermCommand(deps.term, actor, form.done));
    },
  },
  answers: {
    question: GUIDED_QUESTION,
    async run(ctx, question, answer, deps) {
      const actor = actorOf(ctx, deps);
      if (!actor || !deps.term) return ctx.reply(NOT_SET_UP);
      let next;
      try {
        next = answerGuided(question, answer);
      } catch (error) {
        if (error instanceof GlossaryInputError) return ctx.reply(`Sorry: ${error.message}`);
        throw error;
      }
      if ('ask' in next) return ctx.reply({ text: next.ask, ask: true });
      if ('cancelled' in next) return ctx.reply(next.cancelled);
      await send(ctx, await runTermCommand(deps.term, actor, next.done));
    },
  },
});

/** The Approve / Edit / Reject buttons of `/term review`'s cards; the answer says who decided. */
export const termAction = defineAction({
  name: 'term',
  access: 'moderator',
  async run(ctx, data, deps) {
    const actor = actorOf(ctx, deps);
    if (!actor || !deps.term) return ctx.reply(NOT_SET_UP);
    const { text } = await runTermButton(deps.term, actor, data);
    await ctx.reply(text);
  },
});
