import { html } from 'hono/html';
import { MessageSchema, type Message } from '../../shared/message/message';
import { withEdit } from '../curation/edits';
import { editHeldPost, queueAction } from '../curation/queue-chat';
import { dispatch, type CommandContext, type CommandDeps, type QueueDecision } from '../platform/commands';
import type { DashboardGrant } from '../store/dashboard-types';
import type { Delivery } from '../store/types';
import { heldFor, mayDecide } from '../tenancy/services';
import type { Scope } from '../tenancy/scope';
import { csrfField, type Html } from './html';
import { platformPreview } from './post-preview';
import { postEditForm, readPostEdit } from './queue-edit';

/** How many held posts the queue page shows, the oldest first. */
export const QUEUE_SHOWN = 50;

/** A held post as the queue page shows it. */
export interface HeldPost {
  id: string;
  channel: string;
  title: string;
  summary: string;
  edited: boolean;
  link: string | null;
  source: string;
  createdAt: number;
  /** The channel's platform (`telegram`, `discord`…): the preview draws the post as it will show it. */
  sink: string;
  /** The post as it will be sent (with the moderator's edit); null when the stored post is unreadable. */
  message: Message | null;
}

/** A held row as the queue shows it, with its moderator's edit applied. */
async function toHeldPost(store: CommandDeps['store'], row: Delivery, scope: Scope): Promise<HeldPost> {
  const channel = scope.all.find((c) => c.id === row.channelId)?.channel;
  const parsed = MessageSchema.safeParse(row.message);
  const edit = await store.editedPost(row.id);
  const message = parsed.success ? withEdit(parsed.data, edit) : null;
  return {
    id: row.id,
    channel: channel?.title ?? row.channelId,
    sink: channel?.sink ?? '',
    message,
    title: parsed.success ? parsed.data.title : `(unreadable post ${row.id})`,
    summary: message?.summary ?? edit?.summary ?? '',
    edited: edit !== undefined,
    // Feed text: only a web link becomes a link (never `javascript:` and the like).
    link: parsed.success && /^https?:\/\//i.test(parsed.data.link ?? '') ? parsed.data.link! : null,
    source: parsed.success ? parsed.data.source.title : '',
    createdAt: row.createdAt,
  };
}

/** The held posts of the scope's channels (or of one of them), the oldest first, at most {@link QUEUE_SHOWN}. */
export async function heldPosts(deps: Pick<CommandDeps, 'store' | 'now'>, scope: Scope): Promise<HeldPost[]> {
  const rows: Delivery[] = await heldFor({ store: deps.store, now: deps.now }, scope, QUEUE_SHOWN);
  return Promise.all(rows.map((row) => toHeldPost(deps.store, row, scope)));
}

/** One held post the moderator may edit; undefined when it is gone, decided, or another channel's. */
export async function heldPost(
  deps: Pick<CommandDeps, 'store' | 'now'>,
  scope: Scope,
  id: string,
): Promise<HeldPost | undefined> {
  const row = await deps.store.getDelivery(id);
  if (!row || row.status !== 'held' || !(await mayDecide({ store: deps.store, now: deps.now }, scope, id)))
    return undefined;
  return toHeldPost(deps.store, row, scope);
}

/** What a decision from the dashboard came to. */
export type DecisionOutcome =
  | { kind: 'decided'; approve: boolean; verdict: string }
  | { kind: 'already'; verdict: string }
  | { kind: 'refused'; text: string };

/**
 * Approves or rejects a held post through the queue button's own action (bots/curation/queue-chat.ts),
 * so the dashboard decides exactly as a chat button does: the post's own channel must be one the
 * moderator manages, a second decision loses, and the approved post goes to the outbox.
 */
export async function decide(
  deps: CommandDeps,
  grant: DashboardGrant,
  scope: Scope,
  id: string,
  approve: boolean,
): Promise<DecisionOutcome> {
  let decision: QueueDecision | undefined;
  let refusal: string | undefined;
  const said: string[] = [];
  const ctx: CommandContext = {
    platform: 'dashboard',
    place: { id: 'dashboard', kind: 'private', title: 'Dashboard' },
    user: { id: `${grant.platform}:${grant.userId}`, name: grant.name },
    reply: async (reply) => void said.push(typeof reply === 'string' ? reply : reply.text),
    command: (name) => `/${name}`,
    code: (text) => text,
    link: (url) => url,
    scope: () => Promise.resolve(scope),
    destinationsHere: () => Promise.resolve(scope.here.map((c) => c.channel)),
    placeName: 'dashboard',
    quote: (text) => `“${text}”`,
    // A refusal comes as an alert; the other notices repeat the verdict.
    notice: async (text, alert) => {
      if (alert) refusal = text;
    },
    queue: { decided: async (d) => void (decision = d) },
  };
  await dispatch(
    ctx,
    queueAction,
    () => Promise.resolve(true),
    () => queueAction.run(ctx, `${approve ? 'a' : 'r'}:${id}`, deps),
    deps.log,
  );
  if (refusal !== undefined) return { kind: 'refused', text: refusal };
  if (!decision) return { kind: 'refused', text: said.join(' ') || 'Nothing was decided.' };
  return decision.decided
    ? { kind: 'decided', approve: decision.approve, verdict: decision.verdict }
    : { kind: 'already', verdict: decision.verdict };
}

/** What an edit from the dashboard came to: stored, or what to tell the moderator. */
export type EditResult =
  { kind: 'edited' } | { kind: 'invalid'; problems: string[] } | { kind: 'refused' | 'gone'; text: string };

/**
 * Edits a held post's summary and key terms through the chat's own edit (bots/curation/queue-chat.ts):
 * only while it waits, only by a moderator of its channel; a form with problems stores nothing.
 */
export async function editPost(
  deps: Pick<CommandDeps, 'store' | 'now'>,
  grant: DashboardGrant,
  scope: Scope,
  id: string,
  body: Record<string, unknown>,
): Promise<EditResult> {
  const gone = { kind: 'gone', text: 'That post is no longer in the queue; nothing was changed.' } as const;
  const row = await deps.store.getDelivery(id);
  const parsed = MessageSchema.safeParse(row?.message);
  if (!row || row.status !== 'held' || !parsed.success) return gone;
  // The scope is checked before the form, so another channel's post learns nothing from the answer.
  if (!(await mayDecide({ store: deps.store, now: deps.now }, scope, id)))
    return { kind: 'refused', text: 'That post belongs to another channel’s queue; only its moderators can edit it.' };
  const current = withEdit(parsed.data, await deps.store.editedPost(id));
  const form = readPostEdit(body, current.terms, current.lang ?? current.terms[0]?.lang ?? 'en');
  if (!form.ok) return { kind: 'invalid', problems: form.problems };
  const by = `dashboard:${grant.platform}:${grant.userId}`;
  const outcome = await editHeldPost(deps, scope, id, { summary: form.summary, terms: form.terms }, by);
  if (outcome === 'refused')
    return { kind: 'refused', text: 'That post belongs to another channel’s queue; only its moderators can edit it.' };
  return outcome === 'gone' ? gone : { kind: 'edited' };
}

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The queue page's content; `notice` says what the last decision did. */
export function queueBody(posts: HeldPost[], csrf: string, channel: string | null, notice: string | null): Html {
  return html`<h1>Approval queue${channel ? html`: ${channel}` : ''}</h1>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
    ${
      posts.length === 0
        ? html`<p>No post waits for approval.</p>`
        : html`<p>
              ${posts.length} post(s) wait for
              approval${posts.length >= QUEUE_SHOWN ? html`; the oldest ${QUEUE_SHOWN}` : ''}.
            </p>
            ${posts.map(
              (p) =>
                html`<article class="post" aria-labelledby="post-${p.id}">
                  <h2 id="post-${p.id}">${p.title}</h2>
                  <p class="meta">
                    For ${p.channel} · from ${p.source} · held since ${when(p.createdAt)}
                    UTC${p.edited ? ' · edited by a moderator' : ''}
                  </p>
                  ${p.message ? platformPreview(p.sink, p.message) : html`<p>${p.summary}</p>`}
                  ${
                    p.link
                      ? html`<p>
                          <a href="${p.link}" rel="noopener noreferrer" target="_blank"
                            >Open the article<span class="skip"> ${p.title}</span></a
                          >
                        </p>`
                      : ''
                  }
                  <div class="actions">
                    <form method="post" action="/dashboard/queue/${encodeURIComponent(p.id)}/approve">
                      ${csrfField(csrf)}<button type="submit" class="primary" aria-label="Approve: ${p.title}">
                        Approve
                      </button>
                    </form>
                    <form method="post" action="/dashboard/queue/${encodeURIComponent(p.id)}/reject">
                      ${csrfField(csrf)}<button type="submit" aria-label="Reject: ${p.title}">Reject</button>
                    </form>
                  </div>
                  ${
                    p.message
                      ? html`<p>
                          <a href="/dashboard/queue/${encodeURIComponent(p.id)}/edit"
                            >Edit the summary and key terms<span class="skip"> of ${p.title}</span></a
                          >
                        </p>`
                      : ''
                  }
                </article>`,
            )}`
    }`;
}

/** The edit page of one held post: the post as it will go out, and the form; `failed` keeps what was typed. */
export function editBody(p: HeldPost, csrf: string, failed?: { problems: string[]; summary: string }): Html {
  return html`<h1>Edit: ${p.title}</h1>
    <p class="meta">For ${p.channel} · from ${p.source} · <a href="/dashboard/queue">Back to the queue</a></p>
    ${
      failed
        ? html`<div class="notice error" role="alert">
            <p>Not saved:</p>
            <ul>
              ${failed.problems.map((t) => html`<li>${t}</li>`)}
            </ul>
          </div>`
        : ''
    }
    ${p.message ? platformPreview(p.sink, p.message) : ''}
    ${p.message ? postEditForm(p.id, failed?.summary ?? p.summary, p.message.terms, csrf) : ''}`;
}
