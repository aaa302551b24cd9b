import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import { rateLimiter } from 'hono-rate-limiter';
import { errorMessage } from '../../shared/errors';
import type { CommandDeps } from '../platform/commands';
import type { Channel } from '../store/types';
import { appliedText, saveChannelRules } from '../curation/channel-rules';
import { compileRules } from '../../shared/curation';
import { readRuleForm, formValuesOf, type RuleFormValues } from './channel-form';
import { previewRules, subscribedSources } from './channel-preview';
import { channelBody, channelsBody, type ChannelPageState } from './channels';
import { messagePage, page, STYLE, type Frame } from './html';
import type { AppEnv, PageKit, Signed } from './kit';
import { overviewBody, overviewOf } from './overview';
import { decide, editBody, editPost, heldPost, heldPosts, queueBody } from './queue';
import { mountDeliveryLog } from './log-routes';
import { mountSources, opmlUploadLimit, OPML_UPLOAD_PATH } from './sources-routes';
import { dashboardScope } from './scope';
import type { DashboardAuth } from './sign-in';
import { csrfTokenOf, sameToken } from './tokens';

/** What the dashboard's web app works with. */
export interface DashboardAppOptions {
  auth: DashboardAuth;
  /** The network's command deps: decisions run the chat buttons' own action with them. */
  deps: CommandDeps;
  /** The public base URL (its origin is accepted on form posts; https makes the cookie Secure). */
  baseUrl: string;
  /** The workers' lease, to tell live workers from dead ones. */
  leaseMs: number;
}

const NOTICES: Record<string, string> = {
  approved: 'Approved: the post goes out with the next delivery.',
  rejected: 'Rejected: the post will not be sent.',
  already: 'Someone had already decided on that post; nothing changed.',
  edited: 'Saved: the post below is how it will go out when approved.',
};

/** The client's address, for rate limits (behind a reverse proxy, the proxy's). */
const clientOf = (c: Context<AppEnv>): string => c.env.incoming?.socket?.remoteAddress ?? 'unknown';

/**
 * The moderators' dashboard as a Hono app under `/dashboard`: server-rendered pages, sign-in by a
 * one-time link from `/dashboard` in the chat, a session cookie (HttpOnly, SameSite=Strict, Secure
 * over https), a CSRF token on every form and an Origin check on every post, rate limits, and a
 * strict Content-Security-Policy (no script at all).
 */
export function createDashboardApp(options: DashboardAppOptions): Hono<AppEnv> {
  const { auth, deps } = options;
  const base = new URL(options.baseUrl);
  const secure = base.protocol === 'https:';
  // `__Host-` makes browsers refuse the cookie unless Secure, on this host, for path /.
  const cookie = secure ? '__Host-scipop_session' : 'scipop_session';
  const app = new Hono<AppEnv>().basePath('/dashboard');

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
      strictTransportSecurity: secure ? 'max-age=31536000' : false,
    }),
  );
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.use(
    '*',
    rateLimiter<AppEnv>({
      windowMs: 60_000,
      limit: 300,
      standardHeaders: 'draft-7',
      keyGenerator: clientOf,
      handler: (c) =>
        c.html(messagePage({ title: 'Slow down' }, 'Too many requests', 'Wait a minute and try again.', true), 429),
    }),
  );
  // The dashboard's forms are a few fields; nothing bigger is read (but an OPML upload, up to 1 MB as in the chat).
  const formLimit = bodyLimit({
    maxSize: 16 * 1024,
    onError: (c) => c.html(messagePage({ title: 'Too large' }, 'Too large', 'That form was too large.', true), 413),
  });
  app.use('*', async (c, next) => (c.req.path === OPML_UPLOAD_PATH ? opmlUploadLimit(c, next) : formLimit(c, next)));
  // Forms are posted only from the dashboard's own pages: the browser's Origin must be ours.
  app.use('*', csrf({ origin: (origin, c) => origin === base.origin || origin === new URL(c.req.url).origin }));

  const frameOf = (s: Signed, title: string, current?: Frame['current']): Frame => ({
    title,
    ...(current ? { current } : {}),
    user: { name: s.grant.name, platform: s.grant.platform, operator: s.grant.operator },
    csrf: s.csrf,
  });
  const signedOut = (c: Context<AppEnv>, status: 401 | 400 = 401, why?: string) =>
    c.html(
      messagePage(
        { title: 'Sign in' },
        'Sign in from the chat',
        why ??
          'Send /dashboard to the SciPop bot in the chat you moderate (on Discord: /scipop dashboard); it answers you privately with a sign-in link.',
        status !== 401,
      ),
      status,
    );

  const signedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
    const token = getCookie(c, cookie);
    const session = await auth.session(token);
    if (!session || !token) return signedOut(c);
    c.set('signed', { token, grant: session.grant, csrf: csrfTokenOf(token) });
    await next();
  };
  // Every change carries the session's CSRF token (the forms' hidden field).
  const csrfToken: MiddlewareHandler<AppEnv> = async (c, next) => {
    const body = await c.req.parseBody();
    const sent = typeof body._csrf === 'string' ? body._csrf : '';
    if (!sameToken(sent, c.get('signed').csrf))
      return c.html(
        messagePage(
          frameOf(c.get('signed'), 'Refused'),
          'Refused',
          'This form was not sent from your dashboard page (its security token is missing or wrong). Reload the page and try again.',
          true,
        ),
        403,
      );
    await next();
  };

  app.get('/style.css', (c) => c.body(STYLE, 200, { 'content-type': 'text/css; charset=utf-8' }));

  app.get('/', async (c) =>
    (await auth.session(getCookie(c, cookie))) ? c.redirect('/dashboard/overview', 303) : signedOut(c),
  );

  // The link's GET only shows a button: link previews and scanners that open it do not use it up.
  app.get('/sign-in', (c) => {
    const token = c.req.query('t') ?? '';
    return c.html(
      page(
        { title: 'Sign in' },
        html`<h1>Sign in to the SciPop dashboard</h1>
          <p>This link works once, for ${auth.minutes} minutes after you asked for it.</p>
          <form method="post" action="/dashboard/sign-in">
            <input type="hidden" name="t" value="${token}" /><button type="submit" class="primary">Sign in</button>
          </form>`,
      ),
    );
  });
  app.post(
    '/sign-in',
    rateLimiter<AppEnv>({
      windowMs: 15 * 60_000,
      limit: 20,
      keyGenerator: clientOf,
      handler: (c) => signedOut(c, 400, 'Too many sign-in attempts from here; wait 15 minutes.'),
    }),
    async (c) => {
      const body = await c.req.parseBody();
      const used = await auth.redeem(typeof body.t === 'string' ? body.t : '');
      if (!used)
        return signedOut(
          c,
          400,
          'This sign-in link has expired or was used already. Send /dashboard in the chat again for a new one.',
        );
      setCookie(c, cookie, used.session, {
        httpOnly: true,
        secure,
        sameSite: 'Strict',
        path: '/',
        maxAge: Math.floor(auth.sessionMs / 1000),
      });
      deps.log.info({ platform: used.grant.platform, user: used.grant.userId }, 'dashboard: signed in');
      return c.redirect('/dashboard/overview', 303);
    },
  );

  app.post('/sign-out', signedIn, csrfToken, async (c) => {
    await auth.end(c.get('signed').token);
    deleteCookie(c, cookie, { path: '/', secure, httpOnly: true, sameSite: 'Strict' });
    return c.html(messagePage({ title: 'Signed out' }, 'Signed out', 'You are signed out of the dashboard.'));
  });

  app.get('/overview', signedIn, async (c) => {
    const s = c.get('signed');
    const scope = await dashboardScope(deps.store, s.grant);
    const o = await overviewOf({ store: deps.store, now: deps.now, leaseMs: options.leaseMs }, scope);
    return c.html(page(frameOf(s, 'Overview', 'overview'), overviewBody(o)));
  });

  // Channels: a channel is reached only among those the moderator manages (by URL too).
  const managedChannel = async (c: Context<AppEnv>) => {
    const scope = await dashboardScope(deps.store, c.get('signed').grant);
    return scope.here.find((ch) => ch.id === c.req.param('id'))?.channel;
  };
  const noChannel = (c: Context<AppEnv>, current: Frame['current']) =>
    c.html(
      messagePage(
        frameOf(c.get('signed'), 'Not found', current),
        'Not found',
        'No channel by that id among those you moderate.',
        true,
      ),
      404,
    );
  const channelPage = async (channel: Channel, values: RuleFormValues, csrf: string, state: ChannelPageState) =>
    channelBody(channel, values, csrf, { ...state, subscribed: await subscribedSources(deps.store, channel.id) });
  app.get('/channels', signedIn, async (c) => {
    const s = c.get('signed');
    const scope = await dashboardScope(deps.store, s.grant);
    return c.html(page(frameOf(s, 'Channels', 'channels'), channelsBody(scope.here.map((ch) => ch.channel))));
  });
  app.get('/channels/:id', signedIn, async (c) => {
    const s = c.get('signed');
    const channel = await managedChannel(c);
    if (!channel) return noChannel(c, 'channels');
    const compiled = compileRules(channel.rules);
    const preview = compiled.ok ? await previewRules(deps, channel, compiled.value) : null;
    const saved = c.req.query('saved');
    const notice = saved
      ? `Rules saved: ${appliedText({ live: saved === 'live', fromFile: channel.origin !== 'chat' })}.`
      : null;
    return c.html(
      page(
        frameOf(s, channel.title, 'channels'),
        await channelPage(channel, formValuesOf(channel.rules), s.csrf, {
          notice,
          preview,
          problems: compiled.ok ? [] : compiled.errors.map((text) => ({ field: 'approval' as const, text })),
          stored: !compiled.ok,
        }),
      ),
    );
  });
  app.post('/channels/:id', signedIn, csrfToken, async (c) => {
    const s = c.get('signed');
    const channel = await managedChannel(c);
    if (!channel) return noChannel(c, 'channels');
    const body = await c.req.parseBody();
    const form = readRuleForm(body);
    const frame = frameOf(s, channel.title, 'channels');
    if (!form.ok)
      return c.html(page(frame, await channelPage(channel, form.values, s.csrf, { problems: form.problems })), 400);
    if (body.do === 'save') {
      const saved = await saveChannelRules(deps, channel, form.rules);
      if (!saved.ok) {
        const problems = saved.errors.map((text) => ({ field: 'approval' as const, text }));
        return c.html(page(frame, await channelPage(channel, form.values, s.csrf, { problems })), 400);
      }
      deps.log.info({ channel: channel.id, by: `${s.grant.platform}:${s.grant.userId}` }, 'dashboard: rules saved');
      return c.redirect(
        `/dashboard/channels/${encodeURIComponent(channel.id)}?saved=${saved.value.live ? 'live' : 'restart'}`,
        303,
      );
    }
    const preview = await previewRules(deps, channel, form.compiled);
    return c.html(page(frame, await channelPage(channel, form.values, s.csrf, { preview, edited: true })));
  });

  app.get('/queue', signedIn, async (c) => {
    const s = c.get('signed');
    let scope = await dashboardScope(deps.store, s.grant);
    const channelId = c.req.query('channel');
    let channel: string | null = null;
    if (channelId !== undefined) {
      const mine = scope.here.find((ch) => ch.id === channelId);
      if (!mine)
        return c.html(
          messagePage(
            frameOf(s, 'Not found', 'queue'),
            'Not found',
            'No channel by that id among those you moderate.',
            true,
          ),
          404,
        );
      channel = mine.channel.title;
      scope = { ...scope, here: [mine] };
    }
    const done = c.req.query('done');
    const posts = await heldPosts(deps, scope);
    return c.html(
      page(frameOf(s, 'Queue', 'queue'), queueBody(posts, s.csrf, channel, (done && NOTICES[done]) || null)),
    );
  });

  app.post('/queue/:id/:decision{approve|reject}', signedIn, csrfToken, async (c) => {
    const s = c.get('signed');
    const scope = await dashboardScope(deps.store, s.grant);
    const out = await decide(deps, s.grant, scope, c.req.param('id'), c.req.param('decision') === 'approve');
    if (out.kind === 'refused')
      return c.html(messagePage(frameOf(s, 'Refused', 'queue'), 'Refused', out.text, true), 403);
    const done = out.kind === 'already' ? 'already' : out.approve ? 'approved' : 'rejected';
    return c.redirect(`/dashboard/queue?done=${done}`, 303);
  });

  app.get('/queue/:id/edit', signedIn, async (c) => {
    const s = c.get('signed');
    const post = await heldPost(deps, await dashboardScope(deps.store, s.grant), c.req.param('id'));
    if (!post)
      return c.html(
        messagePage(
          frameOf(s, 'Not found', 'queue'),
          'Not found',
          'No held post by that id in the queues you moderate; it may have been decided already.',
          true,
        ),
        404,
      );
    return c.html(page(frameOf(s, 'Edit', 'queue'), editBody(post, s.csrf)));
  });
  app.post('/queue/:id/edit', signedIn, csrfToken, async (c) => {
    const s = c.get('signed');
    const scope = await dashboardScope(deps.store, s.grant);
    const id = c.req.param('id');
    const body = await c.req.parseBody();
    const out = await editPost(deps, s.grant, scope, id, body);
    if (out.kind === 'edited') return c.redirect(`/dashboard/queue?done=edited#post-${encodeURIComponent(id)}`, 303);
    if (out.kind !== 'invalid')
      return c.html(
        messagePage(frameOf(s, 'Not saved', 'queue'), 'Not saved', out.text, true),
        out.kind === 'refused' ? 403 : 404,
      );
    const post = await heldPost(deps, scope, id);
    if (!post)
      return c.html(messagePage(frameOf(s, 'Not saved', 'queue'), 'Not saved', out.problems.join(' '), true), 404);
    const failed = { problems: out.problems, summary: typeof body.summary === 'string' ? body.summary : '' };
    return c.html(page(frameOf(s, 'Edit', 'queue'), editBody(post, s.csrf, failed)), 400);
  });

  const kit: PageKit = { signedIn, csrfToken, frameOf };
  mountSources(app, kit, deps);
  mountDeliveryLog(app, kit, deps);

  app.notFound((c) =>
    c.html(messagePage({ title: 'Not found' }, 'Not found', 'There is no such dashboard page.', true), 404),
  );
  app.onError((error, c) => {
    // hono's own refusals (the Origin check) keep their status.
    if ('getResponse' in error && typeof error.getResponse === 'function') return error.getResponse() as Response;
    deps.log.error({ err: errorMessage(error), path: c.req.path }, 'dashboard: a page failed');
    return c.html(
      messagePage({ title: 'Error' }, 'Something went wrong', 'It was logged. Try again in a moment.', true),
      500,
    );
  });
  return app;
}
