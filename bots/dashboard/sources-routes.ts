import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isFeedUrl, exportOpml, importSources } from '../sources/catalog';
import { parseOpml } from '../sources/opml';
import type { CommandDeps } from '../platform/commands';
import { addFor, findSourceFor, pauseFor, removeFor, resumeFor } from '../tenancy/services';
import type { Scope } from '../tenancy/scope';
import type { AppEnv, PageKit, Signed } from './kit';
import { html } from 'hono/html';
import { csrfField, messagePage, page } from './html';
import { dashboardScope } from './scope';
import { addBody, addFormOf, importBody, previewBody, previewFeed, type AddForm } from './sources-add';
import {
  channelScope,
  filterRows,
  networkScope,
  sourceFilterOf,
  sourceRows,
  sourcesBody,
  SOURCES_PER_PAGE,
} from './sources';

/** The OPML upload's path: its body may be up to {@link OPML_MAX_BYTES} (every other form: 16 KB). */
export const OPML_UPLOAD_PATH = '/dashboard/sources/import';
/** The largest OPML file accepted, as the chat's `/import`. */
export const OPML_MAX_BYTES = 1_000_000;
/** An upload up to this size that is too large is read and dropped, so the browser sees the answer, not a reset. */
const DRAINED_BYTES = 20 * 1024 * 1024;

const tooLarge = (c: Context<AppEnv>) =>
  c.html(
    messagePage({ title: 'Too large' }, 'Too large', 'That file is over 1 MB; an OPML list is much smaller.', true),
    413,
  );
const uploadBodyLimit = bodyLimit({ maxSize: OPML_MAX_BYTES + 16 * 1024, onError: tooLarge });

/**
 * The OPML upload's body limit (1 MB and the form's fields). A server that answers before reading a
 * large body makes the browser show a reset connection instead of the answer: a declared length over
 * the limit is read and dropped first (up to 20 MB; beyond, the connection is closed).
 */
export const opmlUploadLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > OPML_MAX_BYTES + 16 * 1024) {
    const body = c.req.raw.body;
    if (body && declared <= DRAINED_BYTES) {
      const reader = body.getReader();
      while (!(await reader.read()).done);
    }
    return tooLarge(c);
  }
  return uploadBodyLimit(c, next);
};

const DONE: Record<string, (title: string) => string> = {
  added: (t) => `Added “${t}”. New items are posted from its next fetch.`,
  subscribed: (t) => `“${t}” was already a source; the channel now receives it.`,
  paused: (t) => `Paused “${t}”.`,
  resumed: (t) => `Resumed “${t}”; it is fetched at the next tick.`,
  removed: (t) => `Removed “${t}”.`,
};

const OPERATORS_ONLY =
  'Only network operators can import and export OPML, as with /import and /export in the chat. Add feeds one by one with “Add a feed”.';

/**
 * The Sources page and its changes: list with search and filters, add with a "check this feed"
 * preview, pause, resume, remove, OPML import and export. Every change goes through the tenancy
 * services the chat's commands use (bots/tenancy/services.ts), with the scope narrowed to the one
 * channel the row or form names: a moderator changes only their channels' subscriptions, an
 * operator the network.
 */
export function mountSources(app: Hono<AppEnv>, kit: PageKit, deps: CommandDeps): void {
  const { signedIn, csrfToken, frameOf } = kit;
  const tenancy = { store: deps.store, now: () => deps.now() };
  const refuse = (c: Context<AppEnv>, s: Signed, status: 400 | 403 | 404, text: string) =>
    c.html(
      messagePage(
        frameOf(s, status === 404 ? 'Not found' : 'Refused', 'sources'),
        status === 404 ? 'Not found' : 'Refused',
        text,
        true,
      ),
      status,
    );

  /** The scope a change acts in: the network (operators, no channel named) or one of the moderator's channels. */
  const actingScope = (scope: Scope, channel: string): Scope | string => {
    if (scope.actor.operator && channel === '') return networkScope(scope);
    if (channel === '') return 'Choose the channel (one of those you moderate).';
    return channelScope(scope, channel) ?? 'No channel by that id among those you moderate.';
  };

  app.get('/sources', signedIn, async (c) => {
    const s = c.get('signed');
    const scope = await dashboardScope(deps.store, s.grant);
    const filter = sourceFilterOf((name) => c.req.query(name));
    const all = filterRows(await sourceRows(tenancy, scope), filter, scope.here);
    const rows = all.slice((filter.page - 1) * SOURCES_PER_PAGE, filter.page * SOURCES_PER_PAGE);
    const done = DONE[c.req.query('done') ?? ''];
    const named = done ? await deps.store.getSource(c.req.query('source') ?? '') : undefined;
    return c.html(
      page(
        frameOf(s, 'Sources', 'sources'),
        sourcesBody({
          rows,
          total: all.length,
          filter,
          channels: scope.here,
          operator: s.grant.operator,
          csrf: s.csrf,
          notice: done ? done(named?.title ?? 'the source') : null,
        }),
      ),
    );
  });

  const addPage = async (c: Context<AppEnv>, form: AddForm, error: string | null, status: 200 | 400 = 200) => {
    const s = c.get('signed');
    const scope = await dashboardScope(deps.store, s.grant);
    return c.html(
      page(
        frameOf(s, 'Add a feed', 'sources'),
        addBody({ form, channels: scope.here, operator: s.grant.operator, csrf: s.csrf, error }),
      ),
      status,
    );
  };
  /** The form's checks before any fetch: the URL, and a channel the moderator manages. */
  const checked = async (c: Context<AppEnv>) => {
    const s = c.get('signed');
    const form = addFormOf(await c.req.parseBody());
    const scope = await dashboardScope(deps.store, s.grant);
    if (!isFeedUrl(form.url))
      return { form, error: 'Give the http(s) URL of an RSS, Atom, RDF or JSON feed, e.g. https://www.nasa.gov/feed/' };
    const acting = actingScope(scope, form.channel);
    if (typeof acting === 'string') return { form, error: acting };
    return { form, acting, channel: acting.here[0]?.channel ?? null };
  };

  app.get('/sources/add', signedIn, (c) =>
    addPage(
      c,
      { url: c.req.query('url') ?? '', channel: c.req.query('channel') ?? '', tags: [], trusted: false },
      null,
    ),
  );

  app.post('/sources/check', signedIn, csrfToken, async (c) => {
    const s = c.get('signed');
    const r = await checked(c);
    if ('error' in r) return addPage(c, r.form, r.error ?? null, 400);
    const preview = await previewFeed(deps, r.form, r.channel);
    if (!preview.ok) return addPage(c, r.form, `Not added. ${preview.error}`, 400);
    return c.html(
      page(
        frameOf(s, `Check: ${preview.title}`, 'sources'),
        previewBody({ form: r.form, preview, channel: r.channel?.title ?? null, csrf: s.csrf }),
      ),
    );
  });

  app.post('/sources/add', signedIn, csrfToken, async (c) => {
    const r = await checked(c);
    if ('error' in r) return addPage(c, r.form, r.error ?? null, 400);
    const { form, acting } = r;
    const existing = await deps.store.getSource(form.url);
    let done = 'subscribed';
    let id: string;
    if (existing) {
      id = (await addFor(tenancy, acting, { url: form.url, title: existing.title, tags: form.tags }, existing)).source
        .id;
    } else {
      // Checked again: the preview was a page ago, and the form may not come from it.
      const preview = await previewFeed(deps, form, null);
      if (!preview.ok) return addPage(c, form, `Not added. ${preview.error}`, 400);
      const input = { url: form.url, title: preview.title, tags: form.tags, lang: preview.lang, trusted: form.trusted };
      id = (await addFor(tenancy, acting, input, undefined)).source.id;
      done = 'added';
    }
    await deps.channelsChanged?.();
    const who = c.get('signed').grant;
    deps.log.info({ platform: who.platform, user: who.userId, url: form.url }, `dashboard: source ${done}`);
    return c.redirect(`/dashboard/sources?done=${done}&source=${encodeURIComponent(id)}`, 303);
  });

  /** The source a change names, among those the acting scope sees; else the refusal to answer. */
  const target = async (c: Context<AppEnv>, channel: string) => {
    const s = c.get('signed');
    const scope = await dashboardScope(deps.store, s.grant);
    const acting = actingScope(scope, channel);
    if (typeof acting === 'string') return refuse(c, s, 404, acting);
    const found = await findSourceFor(tenancy, acting, c.req.param('id') ?? '');
    // Another community's source is answered as unknown: its existence is not theirs to learn.
    if (typeof found === 'string' || found.id !== c.req.param('id'))
      return refuse(c, s, 404, 'No source by that id among those you can change.');
    return { acting, source: found, channelTitle: acting.here[0]?.channel.title ?? null };
  };
  const channelOf = async (c: Context<AppEnv>) => {
    const body = await c.req.parseBody();
    return typeof body.channel === 'string' ? body.channel : '';
  };

  app.post('/sources/:id/:action{pause|resume|remove}', signedIn, csrfToken, async (c) => {
    const t = await target(c, await channelOf(c));
    if (t instanceof Response) return t;
    const s = c.get('signed');
    const action = c.req.param('action');
    const by = `${s.grant.name} on the dashboard`;
    if (action === 'pause') await pauseFor(tenancy, t.acting, t.source, by);
    else if (action === 'resume') await resumeFor(tenancy, t.acting, t.source);
    else await removeFor(tenancy, t.acting, t.source);
    await deps.channelsChanged?.();
    deps.log.info(
      { platform: s.grant.platform, user: s.grant.userId, source: t.source.id },
      `dashboard: source ${action}`,
    );
    const done = action === 'pause' ? 'paused' : action === 'resume' ? 'resumed' : 'removed';
    return c.redirect(`/dashboard/sources?done=${done}&source=${encodeURIComponent(t.source.id)}`, 303);
  });

  // Removing asks first (the pages have no script to confirm with).
  app.get('/sources/:id/remove', signedIn, async (c) => {
    const channel = c.req.query('channel') ?? '';
    const t = await target(c, channel);
    if (t instanceof Response) return t;
    const s = c.get('signed');
    const what = t.channelTitle
      ? `${t.channelTitle} stops receiving “${t.source.title}”; other channels keep it.`
      : `“${t.source.title}” is removed from the network: every channel stops receiving it, and its items are forgotten.`;
    return c.html(
      page(
        frameOf(s, 'Remove a source', 'sources'),
        html`<h1>Remove “${t.source.title}”?</h1>
          <p>${what}</p>
          <form class="actions" method="post" action="/dashboard/sources/${encodeURIComponent(t.source.id)}/remove">
            ${csrfField(s.csrf)}<input type="hidden" name="channel" value="${channel}" />
            <button type="submit" class="primary">Remove</button>
            <a href="/dashboard/sources">Keep it</a>
          </form>`,
      ),
    );
  });

  app.get('/sources/import', signedIn, (c) => {
    const s = c.get('signed');
    if (!s.grant.operator) return refuse(c, s, 403, OPERATORS_ONLY);
    return c.html(page(frameOf(s, 'Import OPML', 'sources'), importBody(s.csrf, null)));
  });

  app.post('/sources/import', signedIn, csrfToken, async (c) => {
    const s = c.get('signed');
    if (!s.grant.operator) return refuse(c, s, 403, OPERATORS_ONLY);
    const file = (await c.req.parseBody()).opml;
    const again = (error: string) => c.html(page(frameOf(s, 'Import OPML', 'sources'), importBody(s.csrf, error)), 400);
    if (!(file instanceof File) || file.size === 0) return again('Choose an OPML file to import.');
    if (file.size > OPML_MAX_BYTES) return again('That file is over 1 MB; an OPML list is much smaller.');
    const parsed = parseOpml(await file.text());
    if (!parsed.ok) return again(`Not imported: ${parsed.error}. Nothing was changed.`);
    if (parsed.value.length === 0) return again('Not imported: the file lists no feed (no outline with an xmlUrl).');
    const r = await importSources(deps.store, parsed.value, deps.now());
    await deps.channelsChanged?.();
    deps.log.info(
      { platform: s.grant.platform, user: s.grant.userId, ...r, problems: r.problems.length },
      'dashboard: OPML imported',
    );
    return c.html(
      page(
        frameOf(s, 'Imported', 'sources'),
        html`<h1>Imported ${file.name}</h1>
          <p class="notice" role="status">${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.</p>
          ${
            r.problems.length
              ? html`<h2>Skipped</h2>
                  <ul>
                    ${r.problems.slice(0, 100).map((p) => html`<li>${p}</li>`)}
                  </ul>`
              : ''
          }
          <p><a href="/dashboard/sources">Back to the sources</a></p>`,
      ),
    );
  });

  app.get('/sources/export.opml', signedIn, async (c) => {
    const s = c.get('signed');
    if (!s.grant.operator) return refuse(c, s, 403, OPERATORS_ONLY);
    const xml = await exportOpml(deps.store, new Date(deps.now()));
    return c.body(xml, 200, {
      'content-type': 'text/x-opml; charset=utf-8',
      'content-disposition': 'attachment; filename="scipop-sources.opml"',
    });
  });
}
