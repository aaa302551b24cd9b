import { html } from 'hono/html';
import { MessageSchema } from '../../shared/message/message';
import { queueAction } from '../curation/queue-chat';
import { dispatch, type CommandContext, type CommandDeps, type QueueDecision } from '../platform/commands';
import type { DashboardGrant } from '../store/dashboard-types';
import type { Delivery } from '../store/types';
import { heldFor } from '../tenancy/services';
import type { Scope } from '../tenancy/scope';
import { csrfField, type Html } from './html';

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
}

/** The held posts of the scope's channels (or of one of them), the oldest first, at most {@link QUEUE_SHOWN}. */
export async function heldPosts(deps: Pick<CommandDeps, 'store' | 'now'>, scope: Scope): Promise<HeldPost[]> {
  const rows: Delivery[] = await heldFor({ store: deps.store, now: deps.now }, scope, QUEUE_SHOWN);
  const titles = new Map(scope.all.map((c) => [c.id, c.channel.title]));
  return Promise.all(
    rows.map(async (row) => {
      const parsed = MessageSchema.safeParse(row.message);
      const edited = await deps.store.editedSummary(row.id);
      return {
        id: row.id,
        channel: titles.get(row.channelId) ?? row.channelId,
        title: parsed.success ? parsed.data.title : `(unreadable post ${row.id})`,
        summary: edited ?? (parsed.success ? parsed.data.summary : ''),
        edited: edited !== undefined,
        // Feed text: only a web link becomes a link (never `javascript:` and the like).
        link: parsed.success && /^https?:\/\//i.test(parsed.data.link ?? '') ? parsed.data.link! : null,
        source: parsed.success ? parsed.data.source.title : '',
        createdAt: row.createdAt,
      };
    }),
  );
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
                    UTC${p.edited ? ' · summary edited' : ''}
                  </p>
                  <p>${p.summary}</p>
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
                </article>`,
            )}`
    }`;
}
