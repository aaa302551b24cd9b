import { html } from 'hono/html';
import type { DeliveryLogEntry, LogOutcome } from '../store/delivery-log-types';
import type { Channel } from '../store/types';
import type { PlacedChannel } from '../tenancy/scope';
import { channelFilter, type Html } from './html';

/** Lines a page of the log shows. */
export const LOG_PER_PAGE = 50;

/** The log's filters, as its form sends them. */
export interface LogFilter {
  q: string;
  outcome: LogOutcome | '';
  channel: string;
  page: number;
}

/** The outcomes as the filter offers them, in the words the page uses. */
export const OUTCOME_TEXT: Record<LogOutcome, string> = {
  sent: 'Posted',
  pending: 'Waiting to be sent',
  sending: 'Being sent',
  held: 'Held for approval',
  rejected: 'Rejected',
  failed: 'Failed',
  digest: 'Kept for the digest',
  filtered: 'Filtered out',
  skipped: 'Not posted (first fetch)',
};

/** Reads the filters from the query string; anything unknown is ignored. */
export function logFilterOf(query: (name: string) => string | undefined): LogFilter {
  const outcome = query('outcome') ?? '';
  const page = Number.parseInt(query('page') ?? '1', 10);
  return {
    q: (query('q') ?? '').trim().slice(0, 200),
    outcome: outcome in OUTCOME_TEXT ? (outcome as LogOutcome) : '',
    channel: query('channel') ?? '',
    page: Number.isFinite(page) && page > 0 && page <= 10_000 ? page : 1,
  };
}

function logQuery(f: LogFilter, page: number): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.outcome) p.set('outcome', f.outcome);
  if (f.channel) p.set('channel', f.channel);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * A link to a sent message where the platform's id names it: Telegram channels and supergroups
 * (`-100…` ids, or a public `@name` target). Discord's message links need the server's id, which
 * the store does not keep; the page shows the ids instead.
 */
export function messageLink(channel: Channel | undefined, remoteId: string | null): string | null {
  if (!channel || !remoteId || channel.sink !== 'telegram') return null;
  const [chat, message] = remoteId.split(':');
  if (!chat || !message || !/^\d+$/.test(message)) return null;
  if (channel.target.startsWith('@')) return `https://t.me/${encodeURIComponent(channel.target.slice(1))}/${message}`;
  return chat.startsWith('-100') ? `https://t.me/c/${chat.slice(4)}/${message}` : null;
}

const IN_DOUBT = /^in doubt/;
const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}`;

/** What happened and why, in a sentence (feed and platform text escaped by the template). */
function what(e: DeliveryLogEntry, channel: Channel | undefined): Html {
  const capped = e.note ? html`<br /><small>Put off: ${e.note}</small>` : '';
  const approved = e.decidedBy ? html` (approved by ${e.decidedBy})` : '';
  switch (e.outcome) {
    case 'sent': {
      const link = messageLink(channel, e.remoteId);
      const doubt =
        e.reason && IN_DOUBT.test(e.reason) ? html`<br /><small>In doubt after a crash: ${e.reason}</small>` : '';
      return html`<strong>Posted</strong>${e.sentAt ? html` ${when(e.sentAt)} UTC` : ''}${approved}${
          link
            ? html`: <a href="${link}" rel="noopener noreferrer">open the message</a>`
            : e.remoteId
              ? html` <small>(message ${e.remoteId})</small>`
              : ''
        }${doubt}${capped}`;
    }
    case 'pending':
      return html`<strong>Waiting to be sent</strong>${approved}${
          e.reason
            ? IN_DOUBT.test(e.reason)
              ? html`<br /><small>In doubt after a crash; sent again: ${e.reason}</small>`
              : html`<br /><small>Retrying after ${e.attempts} attempt(s): ${e.reason}</small>`
            : ''
        }${capped}`;
    case 'sending':
      return html`<strong>Being sent</strong>`;
    case 'held':
      return html`<strong>Held for approval</strong>`;
    case 'rejected':
      return html`<strong>Rejected</strong>${e.decidedBy ? html` by ${e.decidedBy}` : ''}`;
    case 'failed':
      return html`<strong>Failed</strong>${e.reason ? html`: ${e.reason}` : ''}${capped}`;
    case 'digest':
      return html`<strong>Kept for the digest</strong>`;
    case 'filtered':
      return html`<strong>Filtered out</strong>: ${e.reason ?? 'a rule of the channel'}`;
    case 'skipped':
      return html`<strong>Not posted</strong>: ${e.reason ?? 'first fetch of the source'}`;
  }
}

/** The Delivery log page's content. */
export function logBody(input: {
  entries: readonly DeliveryLogEntry[];
  more: boolean;
  filter: LogFilter;
  channels: readonly PlacedChannel[];
  titles: ReadonlyMap<string, Channel>;
  sources: ReadonlyMap<string, string>;
}): Html {
  const { entries, filter } = input;
  const from = (filter.page - 1) * LOG_PER_PAGE;
  return html`<h1>Delivery log</h1>
    <p>What became of every new item in each channel that receives its source, and why; the newest first.</p>
    <form class="filters" method="get" action="/dashboard/log" role="search">
      <label>Search titles and links <input type="search" name="q" value="${filter.q}" /></label>
      <label
        >What happened
        <select name="outcome">
          <option value="">Anything</option>
          ${(Object.keys(OUTCOME_TEXT) as LogOutcome[]).map(
            (o) => html`<option value="${o}" ${filter.outcome === o ? 'selected' : ''}>${OUTCOME_TEXT[o]}</option>`,
          )}
        </select></label
      >
      ${channelFilter(input.channels, filter.channel)}
      <button type="submit">Show</button>
    </form>
    ${
      entries.length === 0
        ? html`<p>${filter.page > 1 ? 'No more lines.' : 'Nothing in the log matches.'}</p>`
        : html`<p>Lines ${from + 1} to ${from + entries.length}.</p>
            <div class="table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When (UTC)</th>
                    <th scope="col">Item</th>
                    <th scope="col">Channel</th>
                    <th scope="col">What happened</th>
                  </tr>
                </thead>
                <tbody>
                  ${entries.map((e) => {
                    const link = e.link && /^https?:\/\//i.test(e.link) ? e.link : null;
                    return html`<tr>
                      <td>${when(e.createdAt)}</td>
                      <th scope="row">
                        ${link ? html`<a href="${link}" rel="noopener noreferrer">${e.title || '(untitled)'}</a>` : e.title || '(untitled)'}<br /><small
                          >${input.sources.get(e.sourceId) ?? 'a removed source'}</small
                        >
                      </th>
                      <td>${input.titles.get(e.channelId)?.title ?? e.channelId}</td>
                      <td class="outcome-${e.outcome}">${what(e, input.titles.get(e.channelId))}</td>
                    </tr>`;
                  })}
                </tbody>
              </table>
            </div>`
    }
    ${
      filter.page > 1 || input.more
        ? html`<nav class="pages" aria-label="Pages">
            ${filter.page > 1 ? html`<a href="/dashboard/log${logQuery(filter, filter.page - 1)}">Newer</a>` : ''}
            <span>Page ${filter.page}</span>
            ${input.more ? html`<a href="/dashboard/log${logQuery(filter, filter.page + 1)}">Older</a>` : ''}
          </nav>`
        : ''
    }`;
}
