import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { PlacedChannel } from '../tenancy/scope';

/** A piece of a page: hono's escaped HTML (every interpolated value is escaped unless `raw`). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The dashboard's one stylesheet, served as a file so the CSP needs no inline styles. */
export const STYLE = `
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fff; --muted: #555; --line: #ccc; --accent: #0b57d0; --bad: #b3261e; --ok: #146c2e; }
@media (prefers-color-scheme: dark) { :root { --fg: #eee; --bg: #161616; --muted: #aaa; --line: #444; --accent: #8ab4f8; --bad: #f2b8b5; --ok: #6dd58c; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; z-index: 1; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .75rem 1rem; border-bottom: 1px solid var(--line); }
header nav { display: flex; gap: 1rem; flex: 1; }
header nav a[aria-current=page] { font-weight: 700; text-decoration-thickness: 3px; }
header p { margin: 0; color: var(--muted); }
main { padding: 1rem; max-width: 60rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.table { overflow-x: auto; }
th small { font-weight: normal; }
small.url { overflow-wrap: anywhere; }
.meta { color: var(--muted); font-size: .9rem; margin: .25rem 0; }
th[scope=row] { font-weight: 600; }
.state-failing, .error { color: var(--bad); }
.state-ok { color: var(--ok); }
.notice { padding: .75rem 1rem; border: 2px solid var(--accent); border-radius: .5rem; }
.notice.error { border-color: var(--bad); }
button { font: inherit; padding: .5rem 1rem; min-height: 44px; border-radius: .4rem; border: 1px solid var(--line); background: var(--bg); color: var(--fg); cursor: pointer; }
button.primary { background: var(--accent); color: var(--bg); border-color: var(--accent); }
button:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.post { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; margin: 0 0 1rem; }
.post h2 { margin-top: 0; }
.post form { display: inline; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; }
fieldset { border: 1px solid var(--line); border-radius: .5rem; margin: 0 0 1rem; }
.field { margin: 0 0 .75rem; }
.field label { display: block; font-weight: 600; }
.field small { display: block; color: var(--muted); }
textarea, input, select { font: inherit; width: 100%; padding: .4rem; border: 1px solid var(--line); border-radius: .3rem; background: var(--bg); color: var(--fg); }
textarea { font-family: ui-monospace, monospace; }
[aria-invalid=true] { border: 2px solid var(--bad); }
textarea:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid var(--accent); outline-offset: 1px; }
ul.cards { list-style: none; padding: 0; }
ul.cards li { border-bottom: 1px solid var(--line); padding: .5rem 0; }
.check { display: flex; gap: .5rem; align-items: center; }
.check input { width: auto; min-width: 1.25rem; min-height: 1.25rem; }
details { margin: .5rem 0; }
details summary { cursor: pointer; min-height: 44px; display: flex; align-items: center; }
figure { margin: .75rem 0; }
figcaption { font-size: .85rem; color: var(--muted); margin-bottom: .25rem; }
.tg-bubble { white-space: pre-wrap; overflow-wrap: anywhere; background: #effdde; color: #000; padding: .5rem .75rem; border-radius: .75rem; max-width: 34rem; }
.tg-bubble a { color: #168acd; }
.tg-photo, .dc-image { font-size: .85rem; color: var(--muted); overflow-wrap: anywhere; }
.dc-embed { display: flex; max-width: 32rem; background: #2b2d31; color: #dbdee1; border-radius: 4px; overflow: hidden; font-size: .9rem; }
svg.dc-bar { flex: none; width: 4px; height: auto; align-self: stretch; }
.dc-body { padding: .5rem 1rem .75rem .75rem; min-width: 0; }
.dc-body p { margin: .25rem 0; overflow-wrap: anywhere; }
.dc-desc { white-space: pre-wrap; }
.dc-author { font-weight: 600; font-size: .85rem; }
.dc-title { font-weight: 700; }
.dc-title a { color: #00a8fc; }
.dc-fields { margin: .5rem 0 0; }
.dc-fields dt { font-weight: 700; }
.dc-fields dd { margin: 0 0 .4rem; white-space: pre-wrap; }
.dc-footer { font-size: .75rem; color: #b5bac1; }
svg.chart { width: 100%; max-width: 30rem; height: auto; display: block; }
svg.chart rect { fill: var(--accent); }
svg.chart line { stroke: var(--line); }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: 0 0 1rem; }
form.filters label, form.stack label { display: flex; flex-direction: column; gap: .2rem; }
form.stack { display: flex; flex-direction: column; gap: .75rem; max-width: 36rem; }
form.stack label.check { flex-direction: row; gap: .5rem; align-items: center; }
input, select { font: inherit; padding: .4rem .5rem; min-height: 44px; border: 1px solid var(--line); border-radius: .4rem; background: var(--bg); color: var(--fg); }
input:focus-visible, select:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
td form { display: inline; }
.pages { display: flex; gap: 1rem; margin: 1rem 0; }
.verdict-post { color: var(--ok); }
.verdict-skip { color: var(--muted); }
`;

/** What every page's frame needs: who is signed in and the session's CSRF token for sign-out. */
export interface Frame {
  title: string;
  /** The nav link of this page (`overview`, `queue`); none on the signed-out pages. */
  current?: 'overview' | 'channels' | 'queue' | 'sources' | 'log';
  user?: { name: string; platform: string; operator: boolean };
  csrf?: string;
}

const NAV = [
  ['overview', 'Overview'],
  ['channels', 'Channels'],
  ['queue', 'Queue'],
  ['sources', 'Sources'],
  ['log', 'Delivery log'],
] as const;

/** A list page's "Channel" filter: any channel, or one of those the moderator sees. */
export const channelFilter = (channels: readonly PlacedChannel[], selected: string | undefined): Html =>
  html`<label
    >Channel
    <select name="channel">
      <option value="">Any</option>
      ${channels.map(
        (c) => html`<option value="${c.id}" ${selected === c.id ? 'selected' : ''}>${c.channel.title}</option>`,
      )}
    </select></label
  >`;

/** The hidden form field that carries the CSRF token of the session. */
export const csrfField = (token: string): Html => html`<input type="hidden" name="_csrf" value="${token}" />`;

/** A whole page: the document, the navigation and sign-out when signed in, and `body` as its main content. */
export function page(frame: Frame, body: Html): Html {
  const who = frame.user
    ? `${frame.user.name} (${frame.user.platform}${frame.user.operator ? ', network operator' : ''})`
    : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${frame.title} · SciPop dashboard</title>
        <link rel="stylesheet" href="/dashboard/style.css" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to the content</a>
        <header>
          ${
            frame.user
              ? html`<nav aria-label="Dashboard">
                    ${NAV.map(
                      ([id, label]) =>
                        html`<a href="/dashboard/${id}" ${frame.current === id ? raw(' aria-current="page"') : ''}
                          >${label}</a
                        >`,
                    )}
                  </nav>
                  <p>Signed in as ${who}</p>
                  <form method="post" action="/dashboard/sign-out">
                    ${csrfField(frame.csrf ?? '')}<button type="submit">Sign out</button>
                  </form>`
              : html`<strong>SciPop dashboard</strong>`
          }
        </header>
        <main id="main" tabindex="-1">${body}</main>
      </body>
    </html>`;
}

/** A short page that says one thing (signed out, link expired, refused). */
export const messagePage = (frame: Frame, heading: string, text: string, error = false): Html =>
  page(
    frame,
    html`<h1>${heading}</h1>
      <p class="${error ? 'notice error' : 'notice'}" role="${error ? 'alert' : 'status'}">${text}</p>`,
  );
