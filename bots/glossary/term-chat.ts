import { defineAction, defineCommand, textArg, type CommandContext, type CommandDeps } from '../platform/commands';
import { mayModerateHere } from '../tenancy/scope';
import { runTermButton, runTermCommand, TERM_USAGE, type TermActor, type TermCard } from './term-commands';
import type { TermService } from './term-service';
import { answerGuided, firstQuestion, GUIDED_QUESTION, submittedTermForm, termForm } from './term-guided';
import { GlossaryInputError } from '../../shared/glossary/community/model';
import { glossaryRole, mayPropose } from '../../shared/glossary/community/permissions';

const NOT_SET_UP = 'The community glossary is not set up on this network.';
const NOT_ALLOWED =
  "Sorry: only the glossary's editors and the moderators of a channel this network serves can use /term. /explain TERM works for everyone.";

/**
 * The member as the glossary sees them: an editor (listed by id, or a moderator of the editors'
 * chat or server while there), a moderator (of a destination here, or an operator), or a reader.
 */
export async function termActorOf(ctx: CommandContext, service: TermService): Promise<TermActor | null> {
  if (!ctx.user) return null;
  const actor = { platform: ctx.platform, id: ctx.user.id, name: ctx.user.name };
  if (service.editors.editors.includes(`${ctx.platform}:${ctx.user.id}`)) return { ...actor, role: 'editor' };
  const editorsChat = service.editors.editorsChats[ctx.platform];
  const role = glossaryRole(actor, service.editors, {
    moderatesEditorsChat: editorsChat !== undefined && (await ctx.moderatesPlace?.(editorsChat)) === true,
    moderatesServedChannel: mayModerateHere(await ctx.scope()),
  });
  return { ...actor, role };
}

/** The actor, or null after telling the member why not (not set up, or not theirs to use). */
async function allowedActor(ctx: CommandContext, deps: CommandDeps): Promise<TermActor | null> {
  if (!deps.term) {
    await ctx.reply(NOT_SET_UP);
    return null;
  }
  const actor = await termActorOf(ctx, deps.term);
  if (actor && actor.role !== 'reader') return actor;
  await (ctx.notice ? ctx.notice(NOT_ALLOWED, true) : ctx.reply(NOT_ALLOWED));
  return null;
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
  access: 'editors',
  standalone: true,
  args: [
    {
      name: 'input',
      description: 'cmd.term.input',
      kind: 'text',
    },
  ],
  async run(ctx, args, deps) {
    const actor = await allowedActor(ctx, deps);
    if (!actor || !deps.term) return;
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
    // A draft takes the model's time and the glossary checks: longer than the 3 s Discord waits for an answer.
    if (deps.term.drafter && mayPropose(actor.role) && /^(?:re)?draft\s+\S/i.test(input))
      await ctx.progress?.('Asking the language model for a draft …');
    await send(ctx, await runTermCommand(deps.term, actor, input));
  },
  forms: {
    // `/term add TERM` alone, where the platform has forms: the five fields at once.
    async open(ctx, args, deps) {
      const term = guidedAdd(textArg(args, 'input'));
      if (!deps.term || !term) return null;
      // A reader gets no form: run() refuses them with the reason.
      const actor = await termActorOf(ctx, deps.term);
      if (!actor || !mayPropose(actor.role)) return null;
      return (await deps.term.glossary.findLive(term)) ? null : termForm(term);
    },
    async submit(ctx, term, values, deps) {
      const actor = await allowedActor(ctx, deps);
      if (!actor || !deps.term) return;
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
      const actor = await allowedActor(ctx, deps);
      if (!actor || !deps.term) return;
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

/** The Approve / Edit / Reject buttons of `/term review`'s cards; a decision is written on the card (who decided). */
export const termAction = defineAction({
  name: 'term',
  access: 'editors',
  async run(ctx, data, deps) {
    const actor = await allowedActor(ctx, deps);
    if (!actor || !deps.term) return;
    const { text, closed } = await runTermButton(deps.term, actor, data);
    await (closed && ctx.closePressed ? ctx.closePressed(text) : ctx.reply(text));
  },
});
