import { MessageSchema } from '../../shared/message/message';
import {
  defineAction,
  defineCommand,
  type ChatButton,
  type CommandContext,
  type CommandDeps,
} from '../platform/commands';
import type { Delivery } from '../store/types';
import { heldFor, mayDecide } from '../tenancy/services';

/** The edit question names the post, so whichever worker takes the answer knows what it edits. */
const EDIT_QUESTION = /^Reply to this message with the new summary \(plain text\) of post (\S+)\.$/;

/**
 * A held post's buttons: Approve, Reject, and Edit summary where the platform can ask for it (a
 * question answered by reply, or a form). Their data is `a:ID`, `r:ID`, `e:ID` under the action's
 * wire prefix `q`.
 */
export function queueButtons(id: string, edits: boolean): ChatButton[][] {
  return [
    [
      { label: '✅ Approve', action: 'queue', data: `a:${id}`, style: 'success' },
      { label: '🗑 Reject', action: 'queue', data: `r:${id}`, style: 'danger' },
      ...(edits ? [{ label: '✏️ Edit summary', action: 'queue', data: `e:${id}` } as const] : []),
    ],
  ];
}

/** Whether the member can give a new summary here: by replying to a question, or in a form. */
const mayEdit = (ctx: CommandContext) => ctx.asks === true || ctx.openForm !== undefined;

/** Stores a moderator's new summary of a held post, and shows the post as it will appear. */
async function editSummary(ctx: CommandContext, deps: CommandDeps, id: string, summary: string): Promise<void> {
  const scope = await ctx.scope();
  const row = await deps.store.getDelivery(id);
  if (!row || row.status !== 'held') return ctx.reply('That post is no longer in the queue.');
  if (!(await mayDecide({ store: deps.store, now: deps.now }, scope, id)))
    return ctx.reply('That post belongs to another channel’s queue; only its moderators can edit it.');
  await deps.store.setEditedSummary(id, summary.trim(), `${ctx.platform}:${ctx.user?.id ?? 'unknown'}`, deps.now());
  await ctx.reply('Summary updated. The post as it will appear:');
  await show(ctx, deps, row);
}

/** Shows one held post with its buttons: the platform's rendering, or its title. */
async function show(ctx: CommandContext, deps: CommandDeps, row: Delivery): Promise<void> {
  const buttons = queueButtons(row.id, mayEdit(ctx));
  if (ctx.queue?.show) return ctx.queue.show(row, buttons);
  const parsed = MessageSchema.safeParse(row.message);
  if (!parsed.success) return ctx.reply({ text: `(unreadable post ${row.id})`, buttons });
  const summary = (await deps.store.editedSummary(row.id)) ?? parsed.data.summary;
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
      return ctx.reply(
        `The queue is not shown in a channel, where every subscriber would see it. Use ${ctx.command('queue')} in a private chat with me or in a group of moderators.`,
      );
    const scope = await ctx.scope();
    const held = ctx.queue?.held
      ? await ctx.queue.held(scope)
      : await heldFor({ store: deps.store, now: deps.now }, scope, 100);
    if (held.length === 0) return ctx.reply('The approval queue is empty.');
    const elsewhere = await ctx.queue?.elsewhere?.(scope, held.length);
    if (elsewhere) return ctx.reply(elsewhere);
    const shown = ctx.queue?.shown ?? 10;
    await ctx.reply(`${held.length} post(s) wait for approval${held.length > shown ? `; the oldest ${shown}:` : ':'}`);
    for (const row of held.slice(0, shown)) await show(ctx, deps, row);
  },
  answers: {
    question: EDIT_QUESTION,
    run: (ctx, question, answer, deps) => editSummary(ctx, deps, EDIT_QUESTION.exec(question)![1]!, answer),
  },
  // Where there are forms (Discord), the Edit-summary button opens one; the command itself never does.
  forms: {
    open: () => Promise.resolve(null),
    async submit(ctx, id, values, deps) {
      const summary = values.summary?.trim() ?? '';
      if (!summary) return ctx.reply('The summary is empty; nothing was changed.');
      await editSummary(ctx, deps, id, summary);
    },
  },
});

/** The neutral verdict on a pressed button. */
function verdictOf(ctx: CommandContext, approve: boolean, decided: boolean, row: Delivery | undefined): string {
  if (!decided) return `Already ${row?.status === 'rejected' ? 'rejected' : 'decided'}.`;
  return `${approve ? '✅ Approved' : '🗑 Rejected'} by ${ctx.user?.name ?? 'someone'}`;
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
    if (!m) return ctx.reply('This button no longer works.');
    const [, kind, id] = m as unknown as [string, 'a' | 'r' | 'e', string];
    const scope = await ctx.scope();
    if (!(await mayDecide({ store: deps.store, now: deps.now }, scope, id))) {
      const refusal = `Only this post’s channel moderators${ctx.queue?.deciders ? ` ${ctx.queue.deciders}` : ''} can decide on it.`;
      return ctx.notice ? ctx.notice(refusal, true) : ctx.reply(refusal);
    }
    if (kind === 'e') {
      if (ctx.asks)
        return ctx.reply({ text: `Reply to this message with the new summary (plain text) of post ${id}.`, ask: true });
      if (!ctx.openForm) return ctx.reply('Summaries cannot be edited here.');
      return ctx.openForm('queue', {
        id,
        title: 'Edit the summary',
        fields: [{ name: 'summary', label: 'New summary (plain text)', long: true, required: true, max: 4000 }],
      });
    }
    const approve = kind === 'a';
    await ctx.queue?.deciding?.(id);
    const by = `${ctx.platform}:${ctx.user?.id ?? 'unknown'}`;
    const decided = await deps.store.decideDelivery(id, approve ? 'approve' : 'reject', by, deps.now());
    await ctx.notice?.(decided ? (approve ? 'Approved' : 'Rejected') : 'Someone already decided on this post.');
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
