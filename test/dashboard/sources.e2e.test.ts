import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEnv } from '../../bots/config/env';
import { runBots, type RunningBots } from '../../bots/main';
import type { Source } from '../../bots/store/types';
import type { FakeTelegram } from '../fakes/telegram/server';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { items, startTelegramWorld, telegramEnv, writeTelegramConfig, GROUP } from '../telegram/harness';
import { browser, csrfOf, freePort, signInAs } from './harness';

vi.setConfig({ testTimeout: 60_000 });

/**
 * The Sources page over loopback HTTP against the real composition root, a real SQLite store and
 * feeds served on 127.0.0.1: a channel's moderator sees and changes only their channels'
 * sources (by URL too), adds a feed after checking it, and only operators import and export OPML.
 */
const OTHER = -1009876543210;
const OSCAR = 99; // a network operator (telegram.moderators)

let tg: FakeTelegram;
let feeds: FeedServer;
let bots: RunningBots;
let dir: string;
let base: string;
let web: ReturnType<typeof browser>;
let alpha: Source;
let beta: Source;
let alice = '';
let carol = '';
let oscar = '';

const page = async (path: string, cookie: string) => {
  const res = await web.get(path, cookie);
  expect(res.status).toBe(200);
  return res.text();
};

beforeAll(async () => {
  const world = await startTelegramWorld();
  ({ tg, dir } = world);
  tg.addChat({ id: OTHER, type: 'supergroup', title: 'Other group' });
  feeds = await startFeedServer();
  const serve = (path: string, body: string, type = 'application/rss+xml') =>
    feeds.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    });
  serve('/alpha.xml', rssFeed('Alpha news', items('Alpha', 1, 2)));
  serve('/beta.xml', rssFeed('Beta news', items('Beta', 1, 2)));
  serve('/page.html', '<!doctype html><html><body>Not a feed</body></html>', 'text/html');
  serve(
    '/gamma.xml',
    rssFeed('Gamma science', [
      ...items('Gamma', 1, 2),
      { title: 'Gamma: a forbidden topic', link: 'https://news.example/g/x', guid: 'gx', description: 'x' },
    ]),
  );
  const config = writeTelegramConfig(dir, {
    moderators: [OSCAR],
    channels: [
      { id: 'tg-main', target: String(GROUP), title: 'Science group' },
      { id: 'tg-other', target: String(OTHER), title: 'Other group' },
    ],
  });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  web = browser(base);
  bots = await runBots({
    config,
    env: parseEnv({ ...telegramEnv(tg, world.db), SCIPOP_HTTP_PORT: String(port), SCIPOP_DASHBOARD_URL: base }),
  });
  const now = Date.now();
  // Alpha: an operator's source, received by both channels; Beta: added by the other group's moderator.
  alpha = await bots.store.addSource({ url: feeds.url('/alpha.xml'), title: 'Alpha news', tags: ['space'] }, now);
  beta = await bots.store.addSource({ url: feeds.url('/beta.xml'), title: 'Beta news', tags: [] }, now, 'tg-other');
  const grant = (userId: number, name: string, channelIds: string[], operator = false) => ({
    platform: 'telegram',
    userId: String(userId),
    name,
    operator,
    channelIds,
  });
  alice = await signInAs(web, bots.store, grant(42, '@alice', ['tg-main']));
  carol = await signInAs(web, bots.store, grant(43, '@carol', ['tg-other']));
  oscar = await signInAs(web, bots.store, grant(OSCAR, '@oscar', [], true));
});
afterAll(async () => {
  await bots?.stop();
  await tg?.close();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard’s Sources page', () => {
  it('lists only the moderator’s channels’ sources, with search and filters', async () => {
    const html = await page('/dashboard/sources', alice);
    expect(html).toContain('Alpha news');
    expect(html).toContain(feeds.url('/alpha.xml'));
    expect(html).not.toContain('Beta news');
    expect(html).not.toContain('Other group');
    expect(html).toMatch(/1 source\(s\)\./);
    expect(await page('/dashboard/sources?state=paused', alice)).toMatch(/0 source\(s\) match/);
    expect(await page('/dashboard/sources?q=ALPHA&state=ok', alice)).toMatch(/1 source\(s\) match/);
    expect(await page('/dashboard/sources?q=beta', alice)).toMatch(/0 source\(s\) match/);
    // A channel that is not hers in the filter shows nothing of it.
    expect(await page('/dashboard/sources?channel=tg-other', alice)).not.toContain('Beta news');
    const theirs = await page('/dashboard/sources', carol);
    expect(theirs).toContain('Beta news');
    expect(theirs).toContain('Alpha news');
    // The operator sees the network: every source with the channels that receive it.
    const all = await page('/dashboard/sources', oscar);
    expect(all).toMatch(/Alpha news[\s\S]*Other group, Science group|Alpha news[\s\S]*Science group, Other group/);
    expect(all).toContain('Beta news');
  });

  it('refuses another community’s source, also by URL, and changes nothing', async () => {
    const csrf = csrfOf(await page('/dashboard/sources', alice));
    for (const channel of ['tg-main', 'tg-other', ''])
      for (const action of ['pause', 'remove', 'resume']) {
        const res = await web.post(
          `/dashboard/sources/${beta.id}/${action}`,
          { _csrf: csrf, channel },
          { cookie: alice },
        );
        expect(res.status, `${action} in ${channel}`).toBe(404);
      }
    expect((await web.get(`/dashboard/sources/${beta.id}/remove?channel=tg-other`, alice)).status).toBe(404);
    expect(await bots.store.listSubscriptions({ sourceId: beta.id })).toMatchObject([
      { channelId: 'tg-other', pausedReason: null },
    ]);
    expect((await bots.store.getSource(beta.id))!.active).toBe(true);
  });

  it('refuses a change without the CSRF token', async () => {
    const res = await web.post(`/dashboard/sources/${alpha.id}/pause`, { channel: 'tg-main' }, { cookie: alice });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('security token is missing or wrong');
    expect((await bots.store.listSubscriptions({ sourceId: alpha.id })).every((s) => s.pausedReason === null)).toBe(
      true,
    );
  });

  it('pauses and resumes a source for the moderator’s channel only', async () => {
    const csrf = csrfOf(await page('/dashboard/sources', alice));
    const res = await web.post(
      `/dashboard/sources/${alpha.id}/pause`,
      { _csrf: csrf, channel: 'tg-main' },
      { cookie: alice },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/dashboard/sources?done=paused&source=${alpha.id}`);
    const subs = await bots.store.listSubscriptions({ sourceId: alpha.id });
    expect(subs.find((s) => s.channelId === 'tg-main')!.pausedReason).toBe('paused by @alice on the dashboard');
    expect(subs.find((s) => s.channelId === 'tg-other')!.pausedReason).toBeNull();
    const after = await page(res.headers.get('location')!, alice);
    expect(after).toContain('Paused “Alpha news”.');
    expect(after).toMatch(/<strong>Paused<\/strong>: here: paused by @alice on the dashboard/);
    expect(await page('/dashboard/sources?state=paused', alice)).toMatch(/1 source\(s\) match/);
    const back = await web.post(
      `/dashboard/sources/${alpha.id}/resume`,
      { _csrf: csrf, channel: 'tg-main' },
      { cookie: alice },
    );
    expect(back.status).toBe(303);
    expect((await bots.store.listSubscriptions({ sourceId: alpha.id })).every((s) => s.pausedReason === null)).toBe(
      true,
    );
  });

  it('lets an operator pause a source for the network; a channel moderator cannot resume it for everyone', async () => {
    const csrf = csrfOf(await page('/dashboard/sources', oscar));
    const res = await web.post(`/dashboard/sources/${beta.id}/pause`, { _csrf: csrf, channel: '' }, { cookie: oscar });
    expect(res.status).toBe(303);
    expect((await bots.store.getSource(beta.id))!.pausedReason).toBe('paused by @oscar on the dashboard');
    const theirs = await page('/dashboard/sources?state=paused', carol);
    expect(theirs).toMatch(/<strong>Paused<\/strong>: paused by @oscar on the dashboard/);
    // Her button pauses her channel's subscription; it offers no resume of the operator's pause.
    expect(theirs).toContain('aria-label="Pause: Beta news in Other group"');
    expect(theirs).not.toContain('aria-label="Resume: Beta news');
    const back = await web.post(
      `/dashboard/sources/${beta.id}/resume`,
      { _csrf: csrf, channel: '' },
      { cookie: oscar },
    );
    expect(back.status).toBe(303);
    expect((await bots.store.getSource(beta.id))!.active).toBe(true);
  });

  it('checks a feed before adding it: a bad URL or a page that is no feed is refused and nothing is stored', async () => {
    const csrf = csrfOf(await page('/dashboard/sources/add', alice));
    const count = (await bots.store.listSources()).length;
    const bad = await web.post(
      '/dashboard/sources/check',
      { _csrf: csrf, url: 'ftp://example.org/feed', channel: 'tg-main' },
      { cookie: alice },
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Give the http(s) URL of an RSS, Atom, RDF or JSON feed');
    const html = await web.post(
      '/dashboard/sources/add',
      { _csrf: csrf, url: feeds.url('/page.html'), channel: 'tg-main' },
      { cookie: alice },
    );
    expect(html.status).toBe(400);
    expect(await html.text()).toContain('Not added. That is not a feed SciPop can read');
    const theirs = await web.post(
      '/dashboard/sources/add',
      { _csrf: csrf, url: feeds.url('/gamma.xml'), channel: 'tg-other' },
      { cookie: alice },
    );
    expect(theirs.status).toBe(400);
    expect(await theirs.text()).toContain('No channel by that id among those you moderate.');
    expect((await bots.store.listSources()).length).toBe(count);
  });

  it('previews what the channel’s rules do with a feed’s items, then adds it to that channel', async () => {
    // The group's rules leave out one keyword.
    const main = (await bots.store.listChannels()).find((c) => c.id === 'tg-main')!;
    await bots.store.upsertChannel({ ...main, rules: { approval: 'untrusted', exclude: ['forbidden'] } }, Date.now());
    const csrf = csrfOf(await page('/dashboard/sources/add', alice));
    const form = { _csrf: csrf, url: feeds.url('/gamma.xml'), channel: 'tg-main', tags: '#Physics lab' };
    const res = await web.post('/dashboard/sources/check', form, { cookie: alice });
    expect(res.status).toBe(200);
    const preview = await res.text();
    expect(preview).toContain('Check: Gamma science');
    expect(preview).toMatch(/3 item\(s\) in the feed\s+now/);
    expect(preview).toMatch(/Gamma #2: is 2 &lt; 3[\s\S]*?Would wait for approval/);
    expect(preview).toMatch(/Gamma: a forbidden topic[\s\S]*?Filtered out: excluded keyword &quot;forbidden&quot;/);
    expect(await bots.store.getSource(feeds.url('/gamma.xml'))).toBeUndefined();
    const added = await web.post('/dashboard/sources/add', form, { cookie: alice });
    expect(added.status).toBe(303);
    const gamma = (await bots.store.getSource(feeds.url('/gamma.xml')))!;
    expect(gamma).toMatchObject({ title: 'Gamma science', tags: ['physics', 'lab'], trusted: false });
    expect((await bots.store.listSubscriptions({ sourceId: gamma.id })).map((s) => s.channelId)).toEqual(['tg-main']);
    expect(await page(added.headers.get('location')!, alice)).toContain('Added “Gamma science”.');
    expect(await page('/dashboard/sources', carol)).not.toContain('Gamma science');
  });

  it('removes after asking: a moderator unsubscribes their channel, an operator removes from the network', async () => {
    const confirm = await page(`/dashboard/sources/${alpha.id}/remove?channel=tg-main`, alice);
    expect(confirm).toContain('Science group stops receiving “Alpha news”; other channels keep it.');
    const res = await web.post(
      `/dashboard/sources/${alpha.id}/remove`,
      { _csrf: csrfOf(confirm), channel: 'tg-main' },
      { cookie: alice },
    );
    expect(res.status).toBe(303);
    expect((await bots.store.listSubscriptions({ sourceId: alpha.id })).map((s) => s.channelId)).toEqual(['tg-other']);
    expect(await page('/dashboard/sources', alice)).not.toContain('Alpha news');
    const net = await page(`/dashboard/sources/${alpha.id}/remove`, oscar);
    expect(net).toContain('is removed from the network');
    const gone = await web.post(
      `/dashboard/sources/${alpha.id}/remove`,
      { _csrf: csrfOf(net), channel: '' },
      { cookie: oscar },
    );
    expect(gone.status).toBe(303);
    expect(await bots.store.getSource(alpha.id)).toBeUndefined();
  });

  it('imports and exports OPML for operators only; a file that is not OPML changes nothing', async () => {
    const upload = (cookie: string, csrf: string, text: string) => {
      const form = new FormData();
      form.set('_csrf', csrf);
      form.set('opml', new Blob([text], { type: 'text/x-opml' }), 'list.opml');
      return fetch(`${base}/dashboard/sources/import`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: base, cookie },
        body: form,
      });
    };
    const aliceCsrf = csrfOf(await page('/dashboard/sources', alice));
    expect((await web.get('/dashboard/sources/export.opml', alice)).status).toBe(403);
    expect((await web.get('/dashboard/sources/import', alice)).status).toBe(403);
    const refused = await upload(alice, aliceCsrf, '<opml version="2.0"><body/></opml>');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Only network operators can import and export OPML');

    const csrf = csrfOf(await page('/dashboard/sources/import', oscar));
    const before = (await bots.store.listSources()).length;
    const broken = await upload(
      oscar,
      csrf,
      '<opml version="2.0"><body><outline xmlUrl="https://x.example/feed"></body>',
    );
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain('Not imported: not well-formed XML');
    expect((await bots.store.listSources()).length).toBe(before);
    expect((await upload(oscar, 'forged', '<opml/>')).status).toBe(403);
    const huge = await upload(oscar, csrf, `<opml version="2.0"><body>${' '.repeat(1_500_000)}</body></opml>`);
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('That file is over 1 MB');
    expect((await bots.store.listSources()).length).toBe(before);

    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
      <outline text="Biology"><outline type="rss" text="Delta" xmlUrl="${feeds.url('/delta.xml')}"/></outline>
      <outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/></body></opml>`;
    const ok = await upload(oscar, csrf, opml);
    expect(ok.status).toBe(200);
    const report = await ok.text();
    expect(report).toContain('1 added, 0 updated, 0 unchanged.');
    expect(report).toContain('Bad: not an http(s) URL: javascript:alert(1)');
    expect((await bots.store.getSource(feeds.url('/delta.xml')))!.tags).toEqual(['Biology']);

    const exported = await web.get('/dashboard/sources/export.opml', oscar);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain('scipop-sources.opml');
    const xml = await exported.text();
    expect(xml).toContain(`xmlUrl="${feeds.url('/delta.xml')}"`);
    expect(xml).toContain('Beta news');
  });
});
