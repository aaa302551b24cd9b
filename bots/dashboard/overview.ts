import { html } from 'hono/html';
import { leaseHoldMs } from '../engine/workers';
import type { Source, Store } from '../store/types';
import { statusSourcesFor } from '../tenancy/services';
import type { Scope } from '../tenancy/scope';
import type { Html } from './html';

const DAY_MS = 86_400_000;
/** The chart's span: the last 30 UTC days, today included. */
export const CHART_DAYS = 30;

/** A source's state as moderators read it. */
export type SourceState = 'ok' | 'failing' | 'paused';

/** What the overview shows, already limited to the moderator's channels. */
export interface Overview {
  sources: { source: Source; state: SourceState }[];
  channels: { id: string; title: string; held: number; pending: number; posts: number[] }[];
  /** The first day of the chart (days since 1970-01-01, UTC). */
  firstDay: number;
  workers: { alive: number; known: number; hosts: string[] | null };
}

const stateOf = (s: Source): SourceState => (!s.active ? 'paused' : s.failures > 0 ? 'failing' : 'ok');

/** Gathers the overview for a scope: the sources its channels use, their queues and posts, the workers. */
export async function overviewOf(
  deps: { store: Store; now: () => number; leaseMs: number },
  scope: Scope,
): Promise<Overview> {
  const { store } = deps;
  const now = deps.now();
  const firstDay = Math.floor(now / DAY_MS) - (CHART_DAYS - 1);
  const [sources, sizes, daily, workers] = await Promise.all([
    statusSourcesFor({ store, now: deps.now }, scope),
    store.queueSizes(),
    store.dailyPosts(firstDay * DAY_MS),
    store.listWorkers(),
  ]);
  const order: Record<SourceState, number> = { failing: 0, paused: 1, ok: 2 };
  const channels = scope.here.map(({ channel }) => {
    const size = sizes.find((s) => s.channelId === channel.id);
    const posts = Array.from({ length: CHART_DAYS }, () => 0);
    for (const d of daily) if (d.channelId === channel.id && d.day >= firstDay) posts[d.day - firstDay] = d.posts;
    return { id: channel.id, title: channel.title, held: size?.held ?? 0, pending: size?.pending ?? 0, posts };
  });
  const alive = workers.filter((w) => now - w.heartbeatAt <= leaseHoldMs(deps.leaseMs));
  return {
    sources: sources
      .map((source) => ({ source, state: stateOf(source) }))
      .sort((a, b) => order[a.state] - order[b.state] || a.source.title.localeCompare(b.source.title)),
    channels,
    firstDay,
    // Host names are the operators' business; a channel's moderators see how many.
    workers: {
      alive: alive.length,
      known: workers.length,
      hosts: scope.actor.operator ? alive.map((w) => `${w.host} (pid ${w.pid})`) : null,
    },
  };
}

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const when = (ms: number | null) =>
  ms === null ? 'never' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Thirty bars, one per day, drawn as SVG with a text alternative (the table below it). */
function chart(id: string, title: string, posts: number[], firstDay: number): Html {
  const max = Math.max(1, ...posts);
  const total = posts.reduce((a, b) => a + b, 0);
  const w = 10;
  const h = 60;
  return html`<svg class="chart" viewBox="0 0 ${CHART_DAYS * w} ${h + 1}" role="img" aria-labelledby="chart-${id}">
    <title id="chart-${id}">
      ${title}: ${total} posts in the last ${CHART_DAYS} days, at most ${Math.max(...posts)} a day
    </title>
    <line x1="0" y1="${h}" x2="${CHART_DAYS * w}" y2="${h}" />
    ${posts.map((n, i) => {
      const bar = Math.round((n / max) * h);
      return n > 0
        ? html`<rect x="${i * w + 1}" y="${h - bar}" width="${w - 2}" height="${bar}"
            ><title>${isoDay(firstDay + i)}: ${n}</title></rect
          >`
        : '';
    })}
  </svg>`;
}

const STATE_TEXT: Record<SourceState, string> = { ok: 'OK', failing: 'Failing', paused: 'Paused' };

/** The overview page's content. */
export function overviewBody(o: Overview): Html {
  const counts = { ok: 0, failing: 0, paused: 0 };
  for (const s of o.sources) counts[s.state]++;
  return html`<h1>Overview</h1>
    <h2 id="queues">Channels</h2>
    ${
      o.channels.length === 0
        ? html`<p>You moderate no channel.</p>`
        : html`<div class="table">
            <table aria-labelledby="queues">
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Held for approval</th>
                  <th scope="col">Waiting to be sent</th>
                  <th scope="col">Posts, last ${CHART_DAYS} days</th>
                </tr>
              </thead>
              <tbody>
                ${o.channels.map(
                  (c) =>
                    html`<tr>
                      <th scope="row">${c.title}</th>
                      <td>
                        ${c.held > 0 ? html`<a href="/dashboard/queue?channel=${encodeURIComponent(c.id)}">${c.held}</a>` : '0'}
                      </td>
                      <td>${c.pending}</td>
                      <td>${c.posts.reduce((a, b) => a + b, 0)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
    <h2>Posts per day</h2>
    ${o.channels.map(
      (c) =>
        html`<section aria-label="Posts per day in ${c.title}">
          <h3>${c.title}</h3>
          ${chart(c.id, c.title, c.posts, o.firstDay)}
          <p class="meta">${isoDay(o.firstDay)} to ${isoDay(o.firstDay + CHART_DAYS - 1)} (UTC), one bar a day</p>
          <details>
            <summary>The numbers, day by day</summary>
            <div class="table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Day (UTC)</th>
                    <th scope="col">Posts</th>
                  </tr>
                </thead>
                <tbody>
                  ${c.posts.map(
                    (n, i) =>
                      html`<tr>
                        <td>${isoDay(o.firstDay + i)}</td>
                        <td>${n}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
          </details>
        </section>`,
    )}
    <h2 id="sources">Sources</h2>
    <p>${o.sources.length} sources: ${counts.ok} OK, ${counts.failing} failing, ${counts.paused} paused.</p>
    ${
      o.sources.length === 0
        ? ''
        : html`<div class="table">
            <table aria-labelledby="sources">
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                ${o.sources.map(
                  ({ source: s, state }) =>
                    html`<tr>
                      <th scope="row">
                        ${s.title}<br /><small class="url">${s.url}</small><br /><small
                          >Last fetched well: ${when(s.lastSuccessAt)}</small
                        >
                      </th>
                      <td class="state-${state}">
                        <strong>${STATE_TEXT[state]}</strong>${
                          state === 'paused'
                            ? html`: ${s.pausedReason ?? 'no reason given'}`
                            : state === 'failing'
                              ? html`: ${s.failures} failure(s) in a row, last: ${s.lastError ?? 'unknown error'}`
                              : ''
                        }
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
    <h2>Workers</h2>
    <p>${o.workers.alive} of ${o.workers.known} known worker(s) alive.</p>
    ${
      o.workers.hosts
        ? html`<ul>
            ${o.workers.hosts.map((h) => html`<li>${h}</li>`)}
          </ul>`
        : ''
    }`;
}
