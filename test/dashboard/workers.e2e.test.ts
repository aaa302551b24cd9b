import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEnv } from '../../bots/config/env';
import { runBots, type RunningBots } from '../../bots/main';
import type { FakeTelegram } from '../fakes/telegram/server';
import { createTestSchema, type TestSchema } from '../store/postgres';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { GROUP, items, startTelegramWorld, telegramEnv, writeTelegramConfig } from '../telegram/harness';
import { browser, csrfOf, freePort } from './harness';

vi.setConfig({ testTimeout: 90_000 });

/**
 * Two workers on one PostgreSQL store, as behind a load balancer: a link asked for through one is
 * used on the other, the session works on both, and a post approved on one is sent by whichever
 * worker owns the destination.
 */
const alice = { id: 42, is_bot: false, first_name: 'Alice', username: 'alice' };

let tg: FakeTelegram;
let feeds: FeedServer;
let schema: TestSchema;
let dir: string;
const workers: RunningBots[] = [];
const bases: string[] = [];

beforeAll(async () => {
  const world = await startTelegramWorld();
  ({ tg, dir } = world);
  tg.setMember(GROUP, alice.id, 'administrator');
  tg.addChat({ id: alice.id, type: 'private' });
  feeds = await startFeedServer();
  feeds.route('/untrusted.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rssFeed('Unvetted blog', items('Held', 1, 1)));
  });
  schema = await createTestSchema();
  const config = writeTelegramConfig(dir, {});
  // Both answer at one public address (the balancer's); here, the first worker's.
  const ports = [await freePort(), await freePort()];
  for (const port of ports) bases.push(`http://127.0.0.1:${port}`);
  for (const port of ports)
    workers.push(
      await runBots({
        config,
        env: parseEnv({
          ...telegramEnv(tg, world.db),
          SCIPOP_DB: schema.url,
          SCIPOP_HTTP_PORT: String(port),
          SCIPOP_DASHBOARD_URL: bases[0]!,
        }),
      }),
    );
  await workers[0]!.store.addSource(
    { url: feeds.url('/untrusted.xml'), title: 'Unvetted blog', tags: [], trusted: false },
    Date.now(),
  );
  await vi.waitFor(async () => expect((await workers[0]!.store.stats()).deliveries.held).toBe(1), { timeout: 30_000 });
});
afterAll(async () => {
  for (const w of workers) await w.stop();
  await tg?.close();
  await feeds?.close();
  await schema?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard on two workers sharing PostgreSQL', () => {
  it('signs in on either worker and approves on the other', async () => {
    tg.say(GROUP, alice, '/dashboard');
    const dm = await tg.waitFor(() => tg.messages(alice.id).find((m) => m.text.includes('/dashboard/sign-in?t=')));
    const link = /(http\S+\/dashboard\/sign-in\?t=\S+)/.exec(dm.text)![1]!;
    const [a, b] = [browser(bases[0]!), browser(bases[1]!)];
    // The link names the public address; the balancer sent the press of Sign in to the second worker.
    const onB = link.replace(bases[0]!, bases[1]!);
    const res = await b.post('/dashboard/sign-in', { t: new URL(onB).searchParams.get('t')! }, { origin: bases[0]! });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    expect((await a.get('/dashboard/overview', cookie)).status).toBe(200);
    const page = await (await b.get('/dashboard/queue', cookie)).text();
    const [held] = await workers[0]!.store.heldDeliveries(null, 10);
    const approved = await a.post(`/dashboard/queue/${held!.id}/approve`, { _csrf: csrfOf(page) }, { cookie });
    expect(approved.status).toBe(303);
    await tg.waitFor(() => tg.messages(GROUP).find((m) => m.text.startsWith('Held #1') && !m.reply_markup));
    // Marked sent right after Telegram's answer.
    await vi.waitFor(async () => expect((await workers[1]!.store.getDelivery(held!.id))!.status).toBe('sent'));
  });
});
