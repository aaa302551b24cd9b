import type { ChatLang } from '../../shared/i18n/lang';
import { withEdit } from './edits';
import { MessageSchema, type MessageTerm } from '../../shared/message/message';
import {
  defineAction,
  defineCommand,
  say,
  type ChatButton,
  type CommandContext,
  type CommandDeps,
} from '../platform/commands';
import type { Delivery } from '../store/types';
import { heldFor, mayDecide } from '../tenancy/services';
import type { Scope } from '../tenancy/scope';

/**
 * The edit question names the post, so whichever worker takes the answer knows what it edits; it
 * is asked in the chat's language, so both languages' questions are recognised.
 */
const EDIT_QUESTION =
  /^(?:Reply to this message with the new summary \(plain text\) of post (\S+)\.|请回复本条消息，写出推送 (\S+) 的新摘要（纯文本）。)$/;
const editedPost = (question: string) => {
  const m = EDIT_QUESTION.exec(question)!;
  return (m[1] ?? m[2])!;
};

/**
 * A held post's buttons: Approve, Reject, and Edit summary where the platform can ask for it (a
 * question answered by reply, or a form). Their data is `a:ID`, `r:ID`, `e:ID` under the action's
 * wire prefix `q`.
 */
export function queueButtons(id: string, edits: boolean, lang: ChatLang = 'en'): ChatButton[][] {
  const ctx = { lang };
  return [
    [
      { label: say(ctx, 'queue.button.approve'), action: 'queue', data: `a:${id}`, style: 'success' },
      { label: say(ctx, 'queue.button.reject'), action: 'queue', data: `r:${id}`, style: 'danger' },
      ...(edits ? [{ label: say(ctx, 'queue.button.edit'), action: 'queue', data: `e:${id}` } as const] : []),
    ],
  ];
}

/** Whether the member can give a new summary here: by replying to a question, or in a form. */
const mayEdit = (ctx: CommandContext) => ctx.asks === true || ctx.openForm !== undefined;

/** What an edit of a held post came to. */
export type EditOutcome = 'edited' | 'gone' | 'refused';

/**
 * Stores a moderator's new summary (and, from the dashboard, key terms) of a held post: only while
 * it waits for approval, and only by an operator or a moderator of the post's own channel. Without
 * `terms`, terms edited before are kept.
 */
export async function editHeldPost(
  deps: Pick<CommandDeps, 'store' | 'now'>,
  scope: Scope,
  id: string,
  edit: { summary: string; terms?: MessageTerm[] },
  by: string,
): Promise<EditOutcome> {
  const row = await deps.store.getDelivery(id);
  if (!row || row.status !== 'held') return 'gone';
  if (!(await mayDecide({ store: deps.store, now: deps.now }, scope, id))) return 'refused';
  const summary = edit.summary.trim();
  if (edit.terms) await deps.store.setEditedPost(id, { summary, terms: edit.terms }, by, deps.now());
  else await deps.store.setEditedSummary(id, summary, by, deps.now());
  return 'edited';
}

/** Stores a moderator's new summary of a held post, and shows the post as it will appear. */
async function editSummary(ctx: CommandContext, deps: CommandDeps, id: string, summary: string): Promise<void> {
  const by = `${ctx.platform}:${ctx.user?.id ?? 'unknown'}`;
  const outcome = await editHeldPost(deps, await ctx.scope(), id, { summary }, by);
  if (outcome === 'gone') return ctx.reply(say(ctx, 'queue.gone'));
  if (outcome === 'refused') return ctx.reply(say(ctx, 'queue.otherChannel'));
  await ctx.reply(say(ctx, 'queue.summaryUpdated'));
  const row = await deps.store.getDelivery(id);
  if (row) await show(ctx, deps, row);
}

/** Shows one held post with its buttons: the platform's rendering, or its title. */
async function show(ctx: CommandContext, deps: CommandDeps, row: Delivery): Promise<void> {
  const buttons = queueButtons(row.id, mayEdit(ctx), ctx.lang);
  if (ctx.queue?.show) return ctx.queue.show(row, buttons);
  const parsed = MessageSchema.safeParse(row.message);
  if (!parsed.success) return ctx.reply({ text: say(ctx, 'queue.unreadable', { id: row.id }), buttons });
  const { summary } = withEdit(parsed.data, await deps.store.editedPost(row.id));
  await ctx.reply({ text: [parsed.data.title, summary].filter(Boolean).join('\n\n'), buttons });
}

/** `/queue`: the posts waiting for approval that the member may decide on, each with its buttons. */
export const queueCommand = defineCommand({
  name: 'queue',
  description: 'cmd.queue',
  access: 'moderator',
  args: [],
  async run(ctx, _args, deps) {
    if (ctx.place.kind === 'channel')
      // Subscribers would see the unapproved posts.
      return ctx.reply(say(ctx, 'queue.notInChannel', { queue: ctx.command('queue') }));
    const scope = await ctx.scope();
    const held = ctx.queue?.held
      ? await ctx.queue.held(scope)
      : await heldFor({ store: deps.store, now: deps.now }, scope, 100);
    if (held.length === 0) return ctx.reply(say(ctx, 'queue.empty'));
    const elsewhere = await ctx.queue?.elsewhere?.(scope, held.length);
    if (elsewhere) return ctx.reply(elsewhere);
    const shown = ctx.queue?.shown ?? 10;
    await ctx.reply(
      held.length > shown
        ? say(ctx, 'queue.waitingOldest', { n: held.length, shown })
        : say(ctx, 'queue.waiting', { n: held.length }),
    );
    for (const row of held.slice(0, shown)) await show(ctx, deps, row);
  },
  answers: {
    question: EDIT_QUESTION,
    run: (ctx, question, answer, deps) => editSummary(ctx, deps, editedPost(question), answer),
  },
  // Where there are forms (Discord), the Edit-summary button opens one; the command itself never does.
  forms: {
    open: () => Promise.resolve(null),
    async submit(ctx, id, values, deps) {
      const summary = values.summary?.trim() ?? '';
      if (!summary) return ctx.reply(say(ctx, 'queue.emptySummary'));
      await editSummary(ctx, deps, id, summary);
    },
  },
});

/** The neutral verdict on a pressed button. */
function verdictOf(ctx: CommandContext, approve: boolean, decided: boolean, row: Delivery | undefined): string {
  if (!decided) return say(ctx, row?.status === 'rejected' ? 'queue.alreadyRejected' : 'queue.alreadyDecided');
  return say(ctx, approve ? 'queue.approvedBy' : 'queue.rejectedBy', {
    who: ctx.user?.name ?? say(ctx, 'queue.someone'),
  });
}

/**
 * A queue button: Approve, Reject, or Edit summary (a question answered by reply). The post's own
 * channel decides, not the place the button is in: button data can be replayed or forged from
 * another chat, so a moderator there must not reach this community's queue.
 */
export const queueAction = defineAction({
  name: 'queue',
  // Checked against the post's own channel below, with its own refusal.
  access: 'everyone',
  wire: 'q',
  async run(ctx, data, deps) {
    const m = /^([are]):(.+)$/s.exec(data);
    if (!m) return ctx.reply(say(ctx, 'button.gone'));
    const [, kind, id] = m as unknown as [string, 'a' | 'r' | 'e', string];
    const scope = await ctx.scope();
    if (!(await mayDecide({ store: deps.store, now: deps.now }, scope, id))) {
      const refusal = say(ctx, 'queue.refuse', { deciders: ctx.queue?.deciders ? ` ${ctx.queue.deciders}` : '' });
      return ctx.notice ? ctx.notice(refusal, true) : ctx.reply(refusal);
    }
    if (kind === 'e') {
      if (ctx.asks) return ctx.reply({ text: say(ctx, 'queue.editQuestion', { id }), ask: true });
      if (!ctx.openForm) return ctx.reply(say(ctx, 'queue.noEdit'));
      return ctx.openForm('queue', {
        id,
        title: say(ctx, 'queue.form.title'),
        fields: [{ name: 'summary', label: say(ctx, 'queue.form.label'), long: true, required: true, max: 4000 }],
      });
    }
    const approve = kind === 'a';
    await ctx.queue?.deciding?.(id);
    const by = `${ctx.platform}:${ctx.user?.id ?? 'unknown'}`;
    const decided = await deps.store.decideDelivery(id, approve ? 'approve' : 'reject', by, deps.now());
    await ctx.notice?.(say(ctx, decided ? (approve ? 'queue.approved' : 'queue.rejected') : 'queue.decidedBefore'));
    const row = await deps.store.getDelivery(id);
    const verdict = verdictOf(ctx, approve, decided, row);
    if (ctx.queue?.decided) await ctx.queue.decided({ id, approve, decided, row, verdict });
    else await ctx.reply(verdict);
    deps.log.info(
      { delivery: id, decision: approve ? 'approve' : 'reject', by: ctx.user?.id, decided },
      'queue decision',
    );
  },
});
