import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEnv } from '../../bots/config/env';
import { runBots, type RunningBots } from '../../bots/main';
import type { FakeTelegram } from '../fakes/telegram/server';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { GROUP, items, startTelegramWorld, telegramEnv, writeTelegramConfig } from '../telegram/harness';
import { browser, freePort, signInAs } from './harness';

vi.setConfig({ testTimeout: 60_000 });

/**
 * The Delivery log over loopback HTTP against the real composition root and the fake Telegram:
 * the engine's own decisions (posted, filtered by a keyword, held) and a moderator's (rejected),
 * each channel's lines for its moderators only, searchable and paged.
 */
const OTHER = -1009876543210;

let tg: FakeTelegram;
let feeds: FeedServer;
let bots: RunningBots;
let dir: string;
let web: ReturnType<typeof browser>;
let alice = '';
let carol = '';

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
  feeds.route('/mixed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(
      rssFeed('Mixed news', [
        ...items('News', 1, 2),
        { title: 'A forbidden thing', link: 'https://news.example/forbidden', guid: 'fx', description: 'x' },
      ]),
    );
  });
  feeds.route('/bulk.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rssFeed('Bulk news', items('Bulk', 1, 55)));
  });
  const config = writeTelegramConfig(dir, {
    channels: [
      { id: 'tg-main', target: String(GROUP), title: 'Science group' },
      { id: 'tg-other', target: String(OTHER), title: 'Other group' },
    ],
  });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  web = browser(base);
  bots = await runBots({
    config,
    env: parseEnv({ ...telegramEnv(tg, world.db), SCIPOP_HTTP_PORT: String(port), SCIPOP_DASHBOARD_URL: base }),
  });
  // The science group leaves out a keyword; the other group approves every post by hand.
  const now = Date.now();
  for (const c of await bots.store.listChannels())
    await bots.store.upsertChannel(
      { ...c, rules: c.id === 'tg-main' ? { approval: 'untrusted', exclude: ['forbidden'] } : { approval: 'all' } },
      now,
    );
  await bots.engine.reloadChannels();
  await bots.store.addSource({ url: feeds.url('/mixed.xml'), title: 'Mixed news', tags: [] }, now);
  await bots.store.addSource({ url: feeds.url('/bulk.xml'), title: 'Bulk news', tags: [] }, now, 'tg-other');
  await vi.waitFor(
    async () => {
      const { deliveries } = await bots.store.stats();
      expect(deliveries.sent).toBe(2);
      expect(deliveries.held).toBe(58);
    },
    { timeout: 30_000, interval: 200 },
  );
  const held = await bots.store.heldDeliveries('tg-other', 100);
  const forbidden = held.find((d) => (d.message as { title: string }).title === 'A forbidden thing')!;
  await bots.store.decideDelivery(forbidden.id, 'reject', 'dashboard:telegram:43', Date.now());
  const grant = (userId: number, name: string, channelIds: string[]) => ({
    platform: 'telegram',
    userId: String(userId),
    name,
    operator: false,
    channelIds,
  });
  alice = await signInAs(web, bots.store, grant(42, '@alice', ['tg-main']));
  carol = await signInAs(web, bots.store, grant(43, '@carol', ['tg-other']));
});
afterAll(async () => {
  await bots?.stop();
  await tg?.close();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard’s Delivery log', () => {
  it('says what happened to each item in the moderator’s channel, and why', async () => {
    const html = await page('/dashboard/log', alice);
    expect(html).toContain('Lines 1 to 3.');
    expect(html).not.toContain('Other group</td>');
    expect(html).not.toContain('Bulk #');
    // Filtered: by which rule.
    expect(html).toMatch(
      /A forbidden thing<\/a>[\s\S]*?Science group<\/td>\s*<td class="outcome-filtered"><strong>Filtered out<\/strong>: excluded keyword &quot;forbidden&quot;/,
    );
    // Posted: with a link to the message in the supergroup.
    const sent = tg.messages(GROUP).find((m) => m.text.startsWith('News #1'))!;
    expect(html).toContain(`href="https://t.me/c/1234567890/${sent.message_id}"`);
    expect(html.match(/<strong>Posted<\/strong>/g)).toHaveLength(2);
    // Feed text is escaped.
    expect(html).toContain('News #1: is 2 &lt; 3 &amp; &quot;water&quot; &gt; ice?');
    expect(html).not.toContain('is 2 < 3');
  });

  it('shows held and rejected posts (by whom) to the other channel’s moderator, paged and searchable', async () => {
    const first = await page('/dashboard/log', carol);
    expect(first).toContain('Lines 1 to 50.');
    expect(first).not.toContain('Science group</td>');
    expect(first).toContain('<strong>Held for approval</strong>');
    expect(first).toContain('href="/dashboard/log?page=2">Older</a>');
    const second = await page('/dashboard/log?page=2', carol);
    expect(second).toContain('Lines 51 to 58.');
    expect(second).toContain('href="/dashboard/log">Newer</a>');
    const rejected = await page('/dashboard/log?outcome=rejected', carol);
    expect(rejected).toContain('Lines 1 to 1.');
    expect(rejected).toMatch(/A forbidden thing[\s\S]*<strong>Rejected<\/strong> by dashboard:telegram:43/);
    const search = await page(`/dashboard/log?q=${encodeURIComponent('bulk #5')}`, carol);
    // Bulk #5 and #50 to #55.
    expect(search).toContain('Lines 1 to 7.');
    expect(await page('/dashboard/log?q=nothing-like-this', carol)).toContain('Nothing in the log matches.');
  });

  it('keeps another community’s lines out, also by URL', async () => {
    expect((await web.get('/dashboard/log?channel=tg-other', alice)).status).toBe(404);
    expect(await page('/dashboard/log?channel=tg-main', alice)).toContain('Lines 1 to 3.');
    expect((await web.get('/dashboard/log', 'scipop_session=forged')).status).toBe(401);
  });
});
