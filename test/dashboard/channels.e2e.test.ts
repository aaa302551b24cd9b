import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEnv } from '../../bots/config/env';
import { hashToken, newToken } from '../../bots/dashboard/tokens';
import { runBots, type RunningBots } from '../../bots/main';
import type { DashboardGrant } from '../../bots/store/dashboard-types';
import type { FakeTelegram } from '../fakes/telegram/server';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { browser, csrfOf, freePort } from './harness';
import { GROUP, startTelegramWorld, telegramEnv, writeTelegramConfig } from '../telegram/harness';

vi.setConfig({ testTimeout: 60_000 });

/**
 * The Channels page and the Queue's editing against the real composition root (fake Telegram,
 * real SQLite store) over loopback HTTP: a moderator edits their channel's rules in a form, sees
 * which stored items the edited rules would pass and why the others fail, saves them through the
 * service `/filter` uses, and edits a held post's summary and key terms before approving it.
 */
const OTHER = -1009876543210;

let tg: FakeTelegram;
let feeds: FeedServer;
let bots: RunningBots;
let dir: string;
let base: string;
let get: ReturnType<typeof browser>['get'];
let post: ReturnType<typeof browser>['post'];
let signIn: ReturnType<typeof browser>['signIn'];
let alice = '';
let carol = '';

const TITLES = ['Mars rover finds water ice', 'Crypto token surges on exoplanet hype', 'Exoplanet atmosphere mapped'];

beforeAll(async () => {
  const world = await startTelegramWorld();
  ({ tg, dir } = world);
  tg.addChat({ id: OTHER, type: 'supergroup', title: 'Other group' });
  tg.setMember(GROUP, 42, 'administrator');
  feeds = await startFeedServer();
  feeds.route('/news.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(
      rssFeed(
        'Space desk',
        TITLES.map((title, i) => ({
          title,
          link: `https://news.example/${i}`,
          guid: `n-${i}`,
          date: new Date(Date.UTC(2026, 10, 29, 0, 0, i)),
          description: `<p>${title}: the details.</p>`,
        })),
      ),
    );
  });
  const config = writeTelegramConfig(dir, {
    channels: [
      { id: 'tg-main', target: String(GROUP), title: 'Science group' },
      { id: 'tg-other', target: String(OTHER), title: 'Other group' },
    ],
  });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  ({ get, post, signIn } = browser(base));
  const env = parseEnv({ ...telegramEnv(tg, world.db), SCIPOP_HTTP_PORT: String(port), SCIPOP_DASHBOARD_URL: base });
  bots = await runBots({ config, env });
  await bots.store.addSource(
    { url: feeds.url('/news.xml'), title: 'Space desk', tags: [], trusted: false },
    Date.now(),
  );
  // Untrusted: every item waits for approval in both channels.
  await vi.waitFor(async () => expect((await bots.store.stats()).deliveries.held).toBe(6), { timeout: 20_000 });
  alice = await signIn(await linkFor({ userId: '42', name: '@alice', channelIds: ['tg-main'] }));
  carol = await signIn(await linkFor({ userId: '43', name: '@carol', channelIds: ['tg-other'] }));
});
afterAll(async () => {
  await bots?.stop();
  await tg?.close();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A sign-in link as `/dashboard` in the chat makes one (the chat side has its own tests). */
async function linkFor(who: Pick<DashboardGrant, 'userId' | 'name' | 'channelIds'>): Promise<string> {
  const token = newToken();
  const now = Date.now();
  await bots.store.createDashboardSignIn(
    hashToken(token),
    { platform: 'telegram', operator: false, ...who },
    now,
    now + 600_000,
  );
  return `${base}/dashboard/sign-in?t=${token}`;
}

const rulesOf = async (id: string) => (await bots.store.listChannels()).find((c) => c.id === id)!.rules;

/** The form as the page fills it, with some fields changed. */
function form(page: string, fields: Record<string, string>): Record<string, string> {
  const empty = Object.fromEntries(
    [
      'sources',
      'tags',
      'include',
      'exclude',
      'includeRegex',
      'excludeRegex',
      'langs',
      'maxAgeHours',
      'perHour',
      'perDay',
    ].map((k) => [k, '']),
  );
  return { _csrf: csrfOf(page), ...empty, approval: 'untrusted', do: 'preview', ...fields };
}

/** The preview's verdict on the row of an item, as text. */
function verdictOf(page: string, title: string): string {
  const row = page.split('<tr>').find((r) => r.includes(`>${title}</a>`));
  if (!row) throw new Error(`no preview row for ${title}`);
  const cells = row.split('<td');
  return cells[3]!
    .replace(/^[^>]*>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('the Channels page', () => {
  it('lists only the moderator’s channels, and refuses another’s by URL', async () => {
    const list = await (await get('/dashboard/channels', alice)).text();
    expect(list).toContain('href="/dashboard/channels/tg-main"');
    expect(list).not.toContain('tg-other');
    expect((await get('/dashboard/channels/tg-other', alice)).status).toBe(404);
    const page = await (await get('/dashboard/channels/tg-main', alice)).text();
    const before = await rulesOf('tg-other');
    const res = await post('/dashboard/channels/tg-other', form(page, { exclude: 'mars', do: 'save' }), {
      cookie: alice,
    });
    expect(res.status).toBe(404);
    expect(await rulesOf('tg-other')).toEqual(before);
    expect(await (await get('/dashboard/channels/tg-other', carol)).text()).toContain('Rules of Other group');
  });

  it('shows the saved rules’ preview of the latest items', async () => {
    const page = await (await get('/dashboard/channels/tg-main', alice)).text();
    expect(page).toContain('Preview: the latest 3 items');
    expect(page.replace(/\s+/g, ' ')).toContain('3 of 3 would pass (3 held for approval); 0 filtered.');
    for (const title of TITLES) expect(verdictOf(page, title)).toBe('Passes, held for approval');
    // The Sources field takes ids: the page names the channel's sources with theirs.
    const source = (await bots.store.getSource(feeds.url('/news.xml')))!;
    expect(page).toContain('The 1 source this channel subscribes to, with their ids');
    expect(page).toContain(`<li>Space desk: <code>${source.id}</code></li>`);
  });

  it('refuses a change without the CSRF token, and stores nothing', async () => {
    const page = await (await get('/dashboard/channels/tg-main', alice)).text();
    const before = await rulesOf('tg-main');
    const res = await post(
      '/dashboard/channels/tg-main',
      { ...form(page, { exclude: 'mars', do: 'save' }), _csrf: '' },
      {
        cookie: alice,
      },
    );
    expect(res.status).toBe(403);
    expect(await rulesOf('tg-main')).toEqual(before);
  });

  it('refuses a bad regex and a bad cap with what is wrong, and stores nothing', async () => {
    const page = await (await get('/dashboard/channels/tg-main', alice)).text();
    const before = await rulesOf('tg-main');
    const res = await post(
      '/dashboard/channels/tg-main',
      form(page, { includeRegex: 'mars\n(water', excludeRegex: '(a)\\1', perHour: 'lots', do: 'save' }),
      { cookie: alice },
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Not saved: 3 problems to fix');
    expect(html).toContain('Regexes that must match, line 2: invalid regex /(water/: missing closing )');
    expect(html).toMatch(
      /Regexes that must not match, line 1: invalid regex \/\(a\)\\1\/: .*backreferences and lookaround are not supported/,
    );
    expect(html).toContain(
      'Posts per hour at most: give a whole number above 0, or leave it empty for no limit (it says “lots”).',
    );
    // The form keeps what was typed, and marks the fields.
    expect(html).toMatch(/<textarea id="f-includeRegex"[^>]*aria-invalid="true"[^>]*>\s*mars\n\(water<\/textarea>/);
    expect(await rulesOf('tg-main')).toEqual(before);
  });

  it('previews edited rules: which items pass and why each other fails, storing nothing', async () => {
    const page = await (await get('/dashboard/channels/tg-main', alice)).text();
    const before = await rulesOf('tg-main');
    const res = await post(
      '/dashboard/channels/tg-main',
      form(page, { exclude: 'Crypto', includeRegex: '\\bmars\\b|atmosphere', approval: 'none' }),
      { cookie: alice },
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Preview of these edited rules: the latest 3 items');
    expect(html.replace(/\s+/g, ' ')).toContain(
      '2 of 3 would pass; 1 filtered. 3 items fare differently under the saved rules.',
    );
    expect(verdictOf(html, 'Mars rover finds water ice')).toBe('Passes (changed from the saved rules)');
    expect(verdictOf(html, 'Crypto token surges on exoplanet hype')).toBe(
      'Filtered: excluded keyword "crypto" (changed from the saved rules)',
    );
    const regexOnly = await post('/dashboard/channels/tg-main', form(page, { includeRegex: '\\bmars\\b' }), {
      cookie: alice,
    });
    const second = await regexOnly.text();
    expect(verdictOf(second, 'Exoplanet atmosphere mapped')).toBe(
      'Filtered: no included regex matched (changed from the saved rules)',
    );
    expect(verdictOf(second, 'Mars rover finds water ice')).toBe('Passes, held for approval');
    // A selection that drops the channel's source: its items would no longer come.
    const dropped = await (
      await post('/dashboard/channels/tg-main', form(page, { sources: 'https://elsewhere.example/feed' }), {
        cookie: alice,
      })
    ).text();
    expect(verdictOf(dropped, 'Mars rover finds water ice')).toBe(
      'Filtered: source not selected (changed from the saved rules)',
    );
    expect(await rulesOf('tg-main')).toEqual(before);
  });

  it('saves the rules through the service /filter uses: in effect at once, shown by /filter', async () => {
    const page = await (await get('/dashboard/channels/tg-main', alice)).text();
    const res = await post(
      '/dashboard/channels/tg-main',
      form(page, { exclude: 'crypto\nhype', langs: 'en, zh', perDay: '20', do: 'save' }),
      { cookie: alice },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/channels/tg-main?saved=live');
    expect(await rulesOf('tg-main')).toMatchObject({
      exclude: ['crypto', 'hype'],
      langs: ['en', 'zh'],
      caps: { perDay: 20 },
      approval: 'untrusted',
    });
    const after = await (await get('/dashboard/channels/tg-main?saved=live', alice)).text();
    expect(after).toContain('Rules saved: in effect now. This destination comes from the config file');
    expect(after).toMatch(/<textarea id="f-exclude"[^>]*>\s*crypto\nhype<\/textarea>/);
    expect(verdictOf(after, 'Crypto token surges on exoplanet hype')).toBe('Filtered: excluded keyword "crypto"');
    expect(await rulesOf('tg-other')).toMatchObject({ exclude: [], langs: [], caps: {} });
    // The chat's /filter reads the same stored rules.
    const before = tg.messages(GROUP).length;
    tg.say(GROUP, { id: 42, is_bot: false, first_name: 'Alice', username: 'alice' }, '/filter');
    const shown = await tg.waitFor(() =>
      tg
        .messages(GROUP)
        .slice(before)
        .find((m) => m.text.startsWith('Filters of Science group')),
    );
    expect(shown.text).toMatch(/^exclude: .*crypto.*, .*hype/m);
  });
});

describe('the Queue’s editing and previews', () => {
  const heldOf = async (channel: string, title: string) =>
    (await bots.store.heldDeliveries(channel, 10)).find((r) => (r.message as { title: string }).title === title)!;

  it('draws each held post as Telegram will show it, from the renderer’s HTML', async () => {
    const page = await (await get('/dashboard/queue', alice)).text();
    expect(page).toContain('<figcaption>On Telegram</figcaption>');
    expect(page).toMatch(
      /<div class="tg-bubble"><strong><a href="https:\/\/news\.example\/0" rel="noopener noreferrer">Mars rover finds water ice<\/a><\/strong>\n<em>Space desk · 2026-11-29 00:00 UTC<\/em>\n\nMars rover finds water ice: the details\.\n\n<strong>Key terms<\/strong>\n• <strong>/,
    );
    expect(page).not.toContain('On Discord');
  });

  it('refuses an edit without the CSRF token, of another channel’s post, or with an empty summary; nothing is stored', async () => {
    const page = await (await get('/dashboard/queue', alice)).text();
    const mine = await heldOf('tg-main', 'Exoplanet atmosphere mapped');
    const theirs = await heldOf('tg-other', 'Exoplanet atmosphere mapped');
    const edit = { summary: 'Sneaky words.', newTerm: '', newShort: '' };
    expect((await post(`/dashboard/queue/${mine.id}/edit`, edit, { cookie: alice })).status).toBe(403);
    const other = await post(`/dashboard/queue/${theirs.id}/edit`, { ...edit, _csrf: csrfOf(page) }, { cookie: alice });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('only its moderators can edit it');
    const empty = await post(
      `/dashboard/queue/${mine.id}/edit`,
      { _csrf: csrfOf(page), summary: '  ', newTerm: 'rover', newShort: '' },
      { cookie: alice },
    );
    expect(empty.status).toBe(400);
    const html = await empty.text();
    expect(html).toContain('The summary is empty: write one, or leave the post as it is.');
    expect(html).toContain('The new key term: give both the term and its explanation, or remove it.');
    // What was typed stays in the form.
    expect(html).toMatch(/<textarea id="p[\w-]+-summary" name="summary"[^>]*>\s*<\/textarea>/);
    // Another channel's post has no edit page either.
    expect((await get(`/dashboard/queue/${theirs.id}/edit`, alice)).status).toBe(404);
    expect(await bots.store.editedPost(mine.id)).toBeUndefined();
    expect(await bots.store.editedPost(theirs.id)).toBeUndefined();
  });

  it('posts the edited summary and key terms once approved: the fake Telegram receives them', async () => {
    const row = await heldOf('tg-main', 'Mars rover finds water ice');
    const queue = await (await get('/dashboard/queue', alice)).text();
    expect(queue).toContain(`<a href="/dashboard/queue/${row.id}/edit"`);
    const page = await (await get(`/dashboard/queue/${row.id}/edit`, alice)).text();
    expect(page).toContain('<h1>Edit: Mars rover finds water ice</h1>');
    expect(page).toMatch(
      /<textarea id="p[\w-]+-summary" name="summary"[^>]*>\s*Mars rover finds water ice: the details\.<\/textarea>/,
    );
    const terms = (row.message as { terms: unknown[] }).terms;
    const keep = Object.fromEntries(terms.map((_, i) => [`keep${i}`, 'off']));
    const res = await post(
      `/dashboard/queue/${row.id}/edit`,
      {
        _csrf: csrfOf(page),
        ...keep,
        summary: 'Edited on the dashboard: ice <at> the pole & more.',
        newTerm: 'rover',
        newShort: 'A robot vehicle that drives across another world.',
      },
      { cookie: alice },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/dashboard/queue?done=edited#post-${row.id}`);
    const after = await (await get('/dashboard/queue?done=edited', alice)).text();
    expect(after).toContain('Saved: the post below is how it will go out when approved.');
    expect(after).toContain('Edited on the dashboard: ice &lt;at&gt; the pole &amp; more.');
    expect(after).toContain('• <strong>rover</strong> — A robot vehicle that drives across another world.');
    const approved = await post(`/dashboard/queue/${row.id}/approve`, { _csrf: csrfOf(after) }, { cookie: alice });
    expect(approved.status).toBe(303);
    const sent = await tg.waitFor(() =>
      tg.messages(GROUP).find((m) => m.text.startsWith('Mars rover finds water ice') && !m.reply_markup),
    );
    expect(sent.text).toContain('Edited on the dashboard: ice <at> the pole & more.');
    expect(sent.text).not.toContain('the details.');
    expect(sent.text).toContain('Key terms\n• rover — A robot vehicle that drives across another world.');
  });
});
