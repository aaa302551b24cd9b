import { html } from 'hono/html';
import { compileRules, curate } from '../../shared/curation';
import type { Item } from '../../shared/feed/item';
import type { CommandDeps } from '../platform/commands';
import type { Channel } from '../store/types';
import type { PlacedChannel } from '../tenancy/scope';
import { csrfField, type Html } from './html';

/** How many of a checked feed's items the preview lists. */
export const PREVIEW_ITEMS = 20;

/** What the add form sends (and the preview sends on). */
export interface AddForm {
  url: string;
  /** The channel to add it to; '' for an operator's network-wide add (the channels whose rules select it). */
  channel: string;
  tags: string[];
  trusted: boolean;
}

/** Reads the add form's fields; tags as the chat's `/add` reads them (space or comma separated, `#` dropped). */
export function addFormOf(body: Record<string, unknown>): AddForm {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  return {
    url: text('url').slice(0, 2000),
    channel: text('channel'),
    tags: text('tags')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((t) => t.replace(/^#/, '').toLowerCase())
      .slice(0, 20),
    trusted: text('trusted') === 'on' || text('trusted') === '1',
  };
}

/** One item of a checked feed, with what the chosen channel's rules would do with it. */
export interface PreviewItem {
  title: string;
  link: string | null;
  published: string | null;
  /** `post`, `held` (waits for approval), or why the channel's rules filter it out. */
  verdict: { kind: 'post' | 'held' } | { kind: 'filtered'; reason: string } | null;
}

/** A checked feed: its title and its items, or one line saying why it cannot be added. */
export type FeedPreview =
  | { ok: true; title: string; lang: string | null; items: PreviewItem[]; count: number; finalUrl: string }
  | { ok: false; error: string };

/**
 * Fetches and parses a feed with the network's own fetcher and parser (those the poller and the
 * chat's `/add` use, the same as `scipop feed check`), and runs the channel's rules over its items,
 * as the poller will over new ones. Nothing is stored.
 */
export async function previewFeed(
  deps: Pick<CommandDeps, 'fetcher' | 'parse' | 'now'>,
  form: AddForm,
  channel: Channel | null,
): Promise<FeedPreview> {
  const result = await deps.fetcher.fetch(form.url, {});
  if (result.kind === 'error') return { ok: false, error: `It could not be fetched: ${result.message}` };
  if (result.kind === 'not-modified')
    return { ok: false, error: 'The server answered 304 Not Modified to a first request; it cannot be checked.' };
  const parsed = await deps.parse(result.body, { url: result.finalUrl });
  if (!parsed.ok) return { ok: false, error: `That is not a feed SciPop can read: ${parsed.error}` };
  const feed = parsed.value;
  const compiled = channel ? compileRules(channel.rules) : null;
  // Subscribed channels receive the source whatever their rules select; the rest of the rules filter.
  const rules =
    compiled?.ok === true ? { ...compiled.value, rules: { ...compiled.value.rules, sources: [], tags: [] } } : null;
  const source = {
    id: 'new',
    url: form.url,
    tags: form.tags,
    lang: feed.lang ?? null,
    trusted: form.trusted,
  };
  const now = deps.now();
  const verdictOf = (item: Item): PreviewItem['verdict'] => {
    if (!rules) return null;
    const v = curate(rules, { ...item, lang: item.lang ?? source.lang ?? undefined }, source, now);
    return v.post ? { kind: v.status === 'held' ? 'held' : 'post' } : { kind: 'filtered', reason: v.reason };
  };
  return {
    ok: true,
    title: feed.title || new URL(form.url).hostname,
    lang: feed.lang ?? null,
    count: feed.items.length,
    finalUrl: result.finalUrl,
    items: feed.items.slice(0, PREVIEW_ITEMS).map((item) => ({
      title: item.title || '(untitled)',
      // Feed text: only a web link becomes a link.
      link: item.link && /^https?:\/\//i.test(item.link) ? item.link : null,
      published: item.published ?? null,
      verdict: verdictOf(item),
    })),
  };
}

function channelSelect(channels: readonly PlacedChannel[], operator: boolean, chosen: string): Html {
  return html`<label
    >Channel
    <select name="channel" required>
      ${
        operator
          ? html`<option value="" ${chosen === '' ? 'selected' : ''}>
              The whole network (the channels whose rules select it)
            </option>`
          : ''
      }
      ${channels.map(
        (c) => html`<option value="${c.id}" ${chosen === c.id ? 'selected' : ''}>${c.channel.title}</option>`,
      )}
    </select></label
  >`;
}

/** The add form: a feed URL, the channel, tags and trust; "Check this feed" previews it before anything is stored. */
export function addBody(input: {
  form: AddForm;
  channels: readonly PlacedChannel[];
  operator: boolean;
  csrf: string;
  error: string | null;
}): Html {
  const { form } = input;
  return html`<h1>Add a feed</h1>
    ${input.error ? html`<p class="notice error" role="alert">${input.error}</p>` : ''}
    <form class="stack" method="post" action="/dashboard/sources/check">
      ${csrfField(input.csrf)}
      <label
        >Feed URL (RSS, Atom, RDF or JSON Feed)
        <input type="url" name="url" value="${form.url}" required placeholder="https://www.nasa.gov/feed/"
      /></label>
      ${channelSelect(input.channels, input.operator, form.channel)}
      <label
        >Tags (space-separated, optional)
        <input type="text" name="tags" value="${form.tags.join(' ')}" placeholder="astronomy space"
      /></label>
      <label class="check"
        ><input type="checkbox" name="trusted" ${form.trusted ? 'checked' : ''} /> Trusted: post without approval</label
      >
      <button type="submit" class="primary">Check this feed</button>
    </form>`;
}

const VERDICT: Record<'post' | 'held', string> = { post: 'Would be posted', held: 'Would wait for approval' };

/** The preview of a checked feed, with the form that adds it. */
export function previewBody(input: {
  form: AddForm;
  preview: Extract<FeedPreview, { ok: true }>;
  channel: string | null;
  csrf: string;
}): Html {
  const { form, preview } = input;
  return html`<h1>Check: ${preview.title}</h1>
    <p>
      ${preview.count} item(s) in the feed
      now${preview.count > PREVIEW_ITEMS ? html`; the first ${PREVIEW_ITEMS}` : ''}.
      ${
        input.channel
          ? html`Each shows what the rules of ${input.channel} would do with it. When it is added, its current items are
            marked as seen; new items like these are posted from then on${form.trusted ? '' : ', after approval'}.`
          : html`It goes to the channels whose rules select it.`
      }
    </p>
    ${preview.finalUrl !== form.url ? html`<p class="meta">Fetched from ${preview.finalUrl}</p>` : ''}
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Published</th>
            ${input.channel ? html`<th scope="col">In ${input.channel}</th>` : ''}
          </tr>
        </thead>
        <tbody>
          ${preview.items.map(
            (item) =>
              html`<tr>
                <th scope="row">
                  ${item.link ? html`<a href="${item.link}" rel="noopener noreferrer">${item.title}</a>` : item.title}
                </th>
                <td>${item.published ? item.published.slice(0, 16).replace('T', ' ') : 'undated'}</td>
                ${
                  item.verdict
                    ? html`<td class="${item.verdict.kind === 'filtered' ? 'verdict-skip' : 'verdict-post'}">
                        ${item.verdict.kind === 'filtered' ? `Filtered out: ${item.verdict.reason}` : VERDICT[item.verdict.kind]}
                      </td>`
                    : ''
                }
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <form class="actions" method="post" action="/dashboard/sources/add">
      ${csrfField(input.csrf)}
      <input type="hidden" name="url" value="${form.url}" />
      <input type="hidden" name="channel" value="${form.channel}" />
      <input type="hidden" name="tags" value="${form.tags.join(' ')}" />
      ${form.trusted ? html`<input type="hidden" name="trusted" value="on" />` : ''}
      <button type="submit" class="primary">Add this feed</button>
      <a href="/dashboard/sources/add">Start again</a>
    </form>`;
}

/** The OPML import form (operators, as the chat's `/import`). */
export function importBody(csrf: string, error: string | null): Html {
  return html`<h1>Import OPML</h1>
    ${error ? html`<p class="notice error" role="alert">${error}</p>` : ''}
    <p>
      Feeds in the file are added to the network, or updated when the network has them (title, tags, settings). They go
      to the channels whose rules select them. Up to 1 MB.
    </p>
    <form class="stack" method="post" action="/dashboard/sources/import" enctype="multipart/form-data">
      ${csrfField(csrf)}
      <label>OPML file <input type="file" name="opml" accept=".opml,.xml,text/x-opml,text/xml" required /></label>
      <button type="submit" class="primary">Import</button>
    </form>`;
}
