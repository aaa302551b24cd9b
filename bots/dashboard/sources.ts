import { html } from 'hono/html';
import type { Source } from '../store/types';
import { sourcesFor, type TenancyDeps } from '../tenancy/services';
import type { PlacedChannel, Scope } from '../tenancy/scope';
import { channelFilter, csrfField, type Html } from './html';
import type { SourceState } from './overview';

/** Sources a page of the list shows. */
export const SOURCES_PER_PAGE = 100;

/**
 * One row of the Sources page. A channel moderator sees each of their channels' subscriptions (a
 * source twice when two of their channels receive it); an operator sees each source of the network
 * once, with the channels that receive it.
 */
export interface SourceRow {
  source: Source;
  /** The moderator's channel this row is about (null: the operator's network-wide row). */
  channel: { id: string; title: string } | null;
  /** Operators: the titles of the channels that receive it. */
  channels: string[];
  state: SourceState;
  /** Why it is paused (the source, or this channel's subscription), when it is. */
  pausedWhy: string | null;
  /** What Pause/Resume changes is paused: the channel's subscription (moderators) or the source (operators). */
  pausedHere: boolean;
}

/** The Sources page's filters, as its form sends them. */
export interface SourceFilter {
  q: string;
  state: SourceState | '';
  channel: string;
  page: number;
}

/** Reads the filters from the query string; anything unknown is ignored, never an error. */
export function sourceFilterOf(query: (name: string) => string | undefined): SourceFilter {
  const state = query('state') ?? '';
  const page = Number.parseInt(query('page') ?? '1', 10);
  return {
    q: (query('q') ?? '').trim().slice(0, 200),
    state: state === 'ok' || state === 'failing' || state === 'paused' ? state : '',
    channel: query('channel') ?? '',
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

/** The network-wide scope of an operator (no channel here: the tenancy services act on the network). */
export const networkScope = (scope: Scope): Scope => ({ ...scope, here: [] });

/** The scope narrowed to one of the channels the moderator manages, or undefined when it is not theirs. */
export function channelScope(scope: Scope, channelId: string): Scope | undefined {
  const mine = scope.here.find((c) => c.id === channelId);
  return mine ? { ...scope, here: [mine] } : undefined;
}

const stateOf = (s: Source, subscriptionPaused: string | null): SourceState =>
  !s.active || subscriptionPaused !== null ? 'paused' : s.failures > 0 ? 'failing' : 'ok';

/** Every row the scope may see, before filters: through the same services as the chat's `/sources`. */
export async function sourceRows(deps: TenancyDeps, scope: Scope): Promise<SourceRow[]> {
  const titles = new Map(scope.all.map((c) => [c.id, c.channel.title]));
  if (scope.actor.operator) {
    const receivers = new Map<string, string[]>();
    for (const s of await deps.store.listSubscriptions()) {
      if (s.pausedReason !== null) continue;
      const list = receivers.get(s.sourceId) ?? [];
      if (list.length === 0) receivers.set(s.sourceId, list);
      list.push(titles.get(s.channelId) ?? s.channelId);
    }
    const views = await sourcesFor(deps, networkScope(scope));
    return views.map(({ source }) => ({
      source,
      channel: null,
      channels: receivers.get(source.id) ?? [],
      state: stateOf(source, null),
      pausedWhy: source.active ? null : (source.pausedReason ?? 'paused'),
      pausedHere: !source.active,
    }));
  }
  const views = await sourcesFor(deps, scope);
  return views.map(({ source, subscription }) => {
    const subPaused = subscription?.pausedReason ?? null;
    return {
      source,
      channel: subscription ? { id: subscription.channelId, title: titles.get(subscription.channelId) ?? '' } : null,
      channels: [],
      state: stateOf(source, subPaused),
      pausedWhy: !source.active ? (source.pausedReason ?? 'paused') : subPaused ? `here: ${subPaused}` : null,
      // A source an operator paused for the network stays paused whatever a channel does; the
      // channel's own button pauses or resumes its subscription.
      pausedHere: subPaused !== null,
    };
  });
}

/** The rows the filters keep, in the order the page lists them (failing first, then by title). */
export function filterRows(rows: readonly SourceRow[], filter: SourceFilter, channels: readonly PlacedChannel[]) {
  const q = filter.q.toLowerCase();
  const channelTitle = channels.find((c) => c.id === filter.channel)?.channel.title;
  const order: Record<SourceState, number> = { failing: 0, paused: 1, ok: 2 };
  // One collator for the whole sort: String#localeCompare builds one per call (slow over 10,000 rows).
  const byText = new Intl.Collator().compare;
  return rows
    .filter(
      (r) =>
        (!q ||
          r.source.title.toLowerCase().includes(q) ||
          r.source.url.toLowerCase().includes(q) ||
          r.source.tags.some((t) => t.toLowerCase() === q)) &&
        (!filter.state || r.state === filter.state) &&
        (!filter.channel ||
          r.channel?.id === filter.channel ||
          (channelTitle !== undefined && r.channels.includes(channelTitle))),
    )
    .sort(
      (a, b) =>
        order[a.state] - order[b.state] ||
        byText(a.source.title, b.source.title) ||
        byText(a.channel?.title ?? '', b.channel?.title ?? ''),
    );
}

const when = (ms: number | null) =>
  ms === null ? 'never' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const STATE_TEXT: Record<SourceState, string> = { ok: 'OK', failing: 'Failing', paused: 'Paused' };

/** The query string of a filter (for the pages' links). */
export function filterQuery(f: SourceFilter, page = f.page): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.state) p.set('state', f.state);
  if (f.channel) p.set('channel', f.channel);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

function actions(r: SourceRow, csrf: string): Html {
  const id = encodeURIComponent(r.source.id);
  const channel = r.channel ? html`<input type="hidden" name="channel" value="${r.channel.id}" />` : '';
  const what = `${r.source.title}${r.channel ? ` in ${r.channel.title}` : ''}`;
  const toggle = r.pausedHere ? 'resume' : 'pause';
  const removeHref = `/dashboard/sources/${id}/remove${r.channel ? `?channel=${encodeURIComponent(r.channel.id)}` : ''}`;
  return html`<div class="actions">
    <form method="post" action="/dashboard/sources/${id}/${toggle}">
      ${csrfField(csrf)}${channel}<button
        type="submit"
        aria-label="${toggle === 'pause' ? 'Pause' : 'Resume'}: ${what}"
      >
        ${toggle === 'pause' ? 'Pause' : 'Resume'}
      </button>
    </form>
    <a href="${removeHref}" aria-label="Remove: ${what}">Remove…</a>
  </div>`;
}

/** The Sources page's content. */
export function sourcesBody(input: {
  rows: readonly SourceRow[];
  total: number;
  filter: SourceFilter;
  channels: readonly PlacedChannel[];
  operator: boolean;
  csrf: string;
  notice: string | null;
}): Html {
  const { rows, filter, csrf } = input;
  const pages = Math.max(1, Math.ceil(input.total / SOURCES_PER_PAGE));
  return html`<h1>Sources</h1>
    ${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ''}
    <p class="actions">
      <a href="/dashboard/sources/add">Add a feed</a>
      ${
        input.operator
          ? html`<a href="/dashboard/sources/import">Import OPML</a>
              <a href="/dashboard/sources/export.opml" download="scipop-sources.opml">Export OPML</a>`
          : ''
      }
    </p>
    <form class="filters" method="get" action="/dashboard/sources" role="search">
      <label>Search <input type="search" name="q" value="${filter.q}" /></label>
      <label
        >State
        <select name="state">
          ${(['', 'ok', 'failing', 'paused'] as const).map(
            (s) =>
              html`<option value="${s}" ${filter.state === s ? 'selected' : ''}>${s ? STATE_TEXT[s] : 'Any'}</option>`,
          )}
        </select></label
      >
      ${channelFilter(input.channels, filter.channel)}
      <button type="submit">Filter</button>
    </form>
    <p>${input.total} source(s)${filter.q || filter.state || filter.channel ? ' match' : ''}.</p>
    ${
      rows.length === 0
        ? ''
        : html`<div class="table">
            <table>
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">${input.operator ? 'Channels' : 'Channel'}</th>
                  <th scope="col">State</th>
                  <th scope="col">Last fetched well</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (r) =>
                    html`<tr>
                      <th scope="row">
                        ${r.source.title}${r.source.trusted ? '' : html` <small>(needs approval)</small>`}<br /><small
                          class="url"
                          >${r.source.url}</small
                        >${r.source.tags.length ? html`<br /><small>Tags: ${r.source.tags.join(', ')}</small>` : ''}
                      </th>
                      <td>${r.channel ? r.channel.title : r.channels.join(', ') || 'none'}</td>
                      <td class="state-${r.state}">
                        <strong>${STATE_TEXT[r.state]}</strong>${
                          r.pausedWhy
                            ? html`: ${r.pausedWhy}`
                            : r.state === 'failing'
                              ? html`: ${r.source.failures} failure(s) in a row`
                              : ''
                        }${r.source.lastError ? html`<br /><small>Last error: ${r.source.lastError}</small>` : ''}
                      </td>
                      <td>${when(r.source.lastSuccessAt)}</td>
                      <td>${actions(r, csrf)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
    ${
      pages > 1
        ? html`<nav class="pages" aria-label="Pages">
            ${filter.page > 1 ? html`<a href="/dashboard/sources${filterQuery(filter, filter.page - 1)}">Previous</a>` : ''}
            <span>Page ${filter.page} of ${pages}</span>
            ${filter.page < pages ? html`<a href="/dashboard/sources${filterQuery(filter, filter.page + 1)}">Next</a>` : ''}
          </nav>`
        : ''
    }`;
}
