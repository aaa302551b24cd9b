import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEnv } from '../../bots/config/env';
import { hashToken, newToken } from '../../bots/dashboard/tokens';
import { runBots, type RunningBots } from '../../bots/main';
import type { FakeTelegram } from '../fakes/telegram/server';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { browser, csrfOf, freePort } from './harness';
import { GROUP, items, startTelegramWorld, telegramEnv, writeTelegramConfig } from '../telegram/harness';

vi.setConfig({ testTimeout: 60_000 });

/**
 * The real composition root with the fake Telegram and a real SQLite store, and the dashboard on
 * SCIPOP_HTTP_PORT over loopback HTTP: moderators sign in with `/dashboard`, see and decide only
 * their own channel's held posts, and the fake Telegram receives what they approve.
 */
const OTHER = -1009876543210;
const alice = { id: 42, is_bot: false, first_name: 'Alice', username: 'alice' }; // admin of GROUP
const carol = { id: 43, is_bot: false, first_name: 'Carol', username: 'carol' }; // admin of OTHER
const bob = { id: 77, is_bot: false, first_name: 'Bob', username: 'bob' }; // member of GROUP

let tg: FakeTelegram;
let feeds: FeedServer;
let bots: RunningBots;
let dir: string;
let db: string;
let config: string;
let base: string;
let env: ReturnType<typeof parseEnv>;
let get: ReturnType<typeof browser>['get'];
let post: ReturnType<typeof browser>['post'];
let signIn: ReturnType<typeof browser>['signIn'];

beforeAll(async () => {
  const world = await startTelegramWorld();
  ({ tg, dir, db } = world);
  tg.addChat({ id: OTHER, type: 'supergroup', title: 'Other group' });
  tg.setMember(GROUP, alice.id, 'administrator');
  tg.setMember(GROUP, bob.id, 'member');
  tg.setMember(OTHER, carol.id, 'administrator');
  tg.addChat({ id: carol.id, type: 'private' });
  feeds = await startFeedServer();
  feeds.route('/untrusted.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rssFeed('Unvetted blog', items('Held', 1, 2)));
  });
  config = writeTelegramConfig(dir, {
    channels: [
      { id: 'tg-main', target: String(GROUP), title: 'Science group' },
      { id: 'tg-other', target: String(OTHER), title: 'Other group' },
    ],
  });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  ({ get, post, signIn } = browser(base));
  env = parseEnv({ ...telegramEnv(tg, db), SCIPOP_HTTP_PORT: String(port), SCIPOP_DASHBOARD_URL: base });
  bots = await runBots({ config, env });
  // An operator's source: both channels subscribe, and its untrusted items wait for approval in each.
  await bots.store.addSource(
    { url: feeds.url('/untrusted.xml'), title: 'Unvetted blog', tags: [], trusted: false },
    Date.now(),
  );
  await vi.waitFor(async () => expect((await bots.store.stats()).deliveries.held).toBe(4), { timeout: 20_000 });
});
afterAll(async () => {
  await bots?.stop();
  await tg?.close();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `/dashboard` typed in a chat: the link from the private message the bot sends. */
async function linkFor(chat: number, user: typeof alice): Promise<string> {
  const before = tg.messages(user.id).length;
  tg.say(chat, user, '/dashboard');
  const dm = await tg.waitFor(() =>
    tg
      .messages(user.id)
      .slice(before)
      .find((m) => m.text.includes('/dashboard/sign-in?t=')),
  );
  return /(http\S+\/dashboard\/sign-in\?t=\S+)/.exec(dm.text)![1]!;
}

describe('the moderators’ dashboard', () => {
  let aliceCookie = '';
  let carolCookie = '';

  it('answers /dashboard privately, and only to a channel’s moderators', async () => {
    // Alice never opened a private chat with the bot: she is told how, and no link shows in the group.
    let before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/dashboard');
    const told = await tg.waitFor(() =>
      tg
        .messages(GROUP)
        .slice(before)
        .find((m) => /privately/.test(m.text)),
    );
    expect(told.text).toMatch(/open a private chat with me, press Start/);
    before = tg.messages(GROUP).length;
    tg.say(GROUP, bob, '/dashboard');
    await tg.waitFor(() =>
      tg
        .messages(GROUP)
        .slice(before)
        .find((m) => /^Sorry, only/.test(m.text)),
    );
    tg.addChat({ id: alice.id, type: 'private' });
    before = tg.messages(GROUP).length;
    const link = await linkFor(GROUP, alice);
    expect(link.startsWith(`${base}/dashboard/sign-in?t=`)).toBe(true);
    // The group is told where the link went (after the private message, so wait for it).
    await tg.waitFor(() =>
      tg
        .messages(GROUP)
        .slice(before)
        .find((m) => /our private chat/.test(m.text)),
    );
    expect(
      tg
        .messages(GROUP)
        .slice(before)
        .map((m) => m.text),
    ).toEqual(['I sent you the answer in our private chat.']);
    expect(tg.messages(GROUP).some((m) => m.text.includes('sign-in?t='))).toBe(false);
    expect(tg.messages(alice.id).at(-1)!.text).toContain('for Science group');
    aliceCookie = await signIn(link);
    // Used once: the same link again is refused.
    const again = await post('/dashboard/sign-in', { t: new URL(link).searchParams.get('t')! });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('expired or was used already');
    carolCookie = await signIn(await linkFor(OTHER, carol));
  });

  it('refuses an expired link, and stores no token in clear', async () => {
    const token = newToken();
    const now = Date.now();
    await bots.store.createDashboardSignIn(
      hashToken(token),
      { platform: 'telegram', userId: String(alice.id), name: '@alice', operator: false, channelIds: ['tg-main'] },
      now - 20 * 60_000,
      now - 10 * 60_000,
    );
    const res = await post('/dashboard/sign-in', { t: token });
    expect(res.status).toBe(400);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('shows the overview of the moderator’s own channels', async () => {
    const res = await get('/dashboard/overview', aliceCookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toContain('Science group');
    expect(html).not.toContain('Other group');
    expect(html).toContain('Unvetted blog');
    expect(html).toMatch(/1 of 1 known worker\(s\) alive/);
    expect(html).toMatch(
      /<th scope="row">Science group<\/th>\s*<td>\s*<a href="\/dashboard\/queue\?channel=tg-main">2<\/a>\s*<\/td>/,
    );
  });

  it('lists only the moderator’s held posts, and refuses another channel’s by URL', async () => {
    const mine = await (await get('/dashboard/queue', aliceCookie)).text();
    expect(mine.match(/<article class="post"/g)).toHaveLength(2);
    expect(mine).toContain('For Science group');
    expect(mine).not.toContain('For Other group');
    expect(mine).toContain('Held #1: is 2 &lt; 3 &amp; &quot;water&quot; &gt; ice?');
    expect((await get('/dashboard/queue?channel=tg-other', aliceCookie)).status).toBe(404);
    const theirs = (await bots.store.heldDeliveries('tg-other', 10))[0]!;
    const res = await post(`/dashboard/queue/${theirs.id}/approve`, { _csrf: csrfOf(mine) }, { cookie: aliceCookie });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Only this post’s channel moderators can decide on it.');
    expect((await bots.store.getDelivery(theirs.id))!.status).toBe('held');
    const carols = await (await get('/dashboard/queue', carolCookie)).text();
    expect(carols).toContain('For Other group');
    expect(carols).not.toContain('For Science group');
  });

  it('refuses changes without the CSRF token, from another origin, or with a forged session', async () => {
    const page = await (await get('/dashboard/queue', aliceCookie)).text();
    const row = (await bots.store.heldDeliveries('tg-main', 10))[0]!;
    const path = `/dashboard/queue/${row.id}/approve`;
    expect((await post(path, {}, { cookie: aliceCookie })).status).toBe(403);
    expect((await post(path, { _csrf: 'x'.repeat(43) }, { cookie: aliceCookie })).status).toBe(403);
    expect(
      (await post(path, { _csrf: csrfOf(page) }, { cookie: aliceCookie, origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect((await post(path, { _csrf: csrfOf(page) }, { cookie: `scipop_session=${newToken()}` })).status).toBe(401);
    expect((await get('/dashboard/queue', 'scipop_session=forged')).status).toBe(401);
    expect((await post(path, { _csrf: csrfOf(page), pad: 'x'.repeat(20_000) }, { cookie: aliceCookie })).status).toBe(
      413,
    );
    expect((await bots.store.getDelivery(row.id))!.status).toBe('held');
  });

  it('approves a held post through the chat buttons’ code path: the fake Telegram receives it', async () => {
    const page = await (await get('/dashboard/queue', aliceCookie)).text();
    const [first, second] = await bots.store.heldDeliveries('tg-main', 10);
    const res = await post(`/dashboard/queue/${first!.id}/approve`, { _csrf: csrfOf(page) }, { cookie: aliceCookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/queue?done=approved');
    const title = (first!.message as { title: string }).title;
    const sent = await tg.waitFor(() => tg.messages(GROUP).find((m) => m.text.startsWith(title) && !m.reply_markup));
    expect(sent.html).toContain('<b><a href=');
    expect((await bots.store.getDelivery(first!.id))!.decidedBy).toBe('dashboard:telegram:42');
    const rejected = await post(
      `/dashboard/queue/${second!.id}/reject`,
      { _csrf: csrfOf(page) },
      { cookie: aliceCookie },
    );
    expect(rejected.headers.get('location')).toBe('/dashboard/queue?done=rejected');
    const twice = await post(
      `/dashboard/queue/${second!.id}/approve`,
      { _csrf: csrfOf(page) },
      { cookie: aliceCookie },
    );
    expect(twice.headers.get('location')).toBe('/dashboard/queue?done=already');
    expect((await bots.store.getDelivery(second!.id))!.status).toBe('rejected');
    const after = await (await get('/dashboard/queue?done=approved', aliceCookie)).text();
    expect(after).toContain('Approved: the post goes out with the next delivery.');
    expect(after).toContain('No post waits for approval.');
  });

  it('keeps the session across a restart of the network, and ends it at sign-out', async () => {
    await bots.stop();
    bots = await runBots({ config, env });
    const page = await get('/dashboard/overview', carolCookie);
    expect(page.status).toBe(200);
    const out = await post('/dashboard/sign-out', { _csrf: csrfOf(await page.text()) }, { cookie: carolCookie });
    expect(out.status).toBe(200);
    expect((await get('/dashboard/overview', carolCookie)).status).toBe(401);
  });
});
