import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBots } from '../../bots/main';
import { toOpml } from '../../bots/sources/opml';
import type { FakeTelegram } from '../fakes/telegram/server';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { GROUP, items, runInProcess, startTelegramWorld, writeTelegramConfig } from './harness';

// A platform answering 500s or hanging: that destination waits and retries, the rest of the
// network goes on. Two groups get the same items; the first holds a send for 15 s (a platform
// hanging), then answers the next with a 500. The second must get everything meanwhile, and the
// first everything exactly once in the end (the outbox retries a 500 after 30 s).
vi.setConfig({ testTimeout: 150_000 });

const OTHER = -1009876543210;
const COUNT = 8;
let feeds: FeedServer;
let tg: FakeTelegram;
let dir: string;
let bots: RunningBots | undefined;

const titles = (chat: number) =>
  tg
    .messages(chat)
    .map((m) => m.text.split('\n')[0]!)
    .filter((t) => t.startsWith('Fault #'));

async function until(what: string, timeoutMs: number, probe: () => boolean) {
  for (const deadline = Date.now() + timeoutMs; !probe(); await new Promise((r) => setTimeout(r, 100)))
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

beforeAll(async () => {
  feeds = await startFeedServer();
  const body = rssFeed('Fault feed', items('Fault', 1, COUNT));
  feeds.route('/fault.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(body);
  });
  const w = await startTelegramWorld();
  tg = w.tg;
  dir = w.dir;
  tg.addChat({ id: OTHER, type: 'supergroup', title: 'Other group' });
  const seed = join(dir, 'seed.opml');
  writeFileSync(seed, toOpml([{ url: feeds.url('/fault.xml'), title: 'Fault feed', tags: ['astronomy'] }]));
  const config = writeTelegramConfig(dir, {
    seedOpml: seed,
    approval: 'none',
    channels: [
      { id: 'tg-main', target: String(GROUP) },
      { id: 'tg-other', target: String(OTHER) },
    ],
  });
  tg.faultChat(GROUP, { hangMs: 15_000 }, { code: 500, description: 'Internal Server Error' });
  bots = await runInProcess(tg, w.db, config);
});

afterAll(async () => {
  await bots?.stop();
  await tg?.close();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one destination’s platform hanging, then answering 500', () => {
  it('the other destination gets every post meanwhile', async () => {
    await until('every post in the other group', 14_000, () => titles(OTHER).length === COUNT);
    expect(titles(GROUP).length).toBeLessThanOrEqual(1); // the held send, at most
  });

  it('the troubled destination waits, retries, and gets every post exactly once', async () => {
    await until('every post in the troubled group', 120_000, () => new Set(titles(GROUP)).size === COUNT);
    await new Promise((r) => setTimeout(r, 1500)); // a late repeat would land now
    expect(titles(GROUP)).toHaveLength(COUNT);
    expect(titles(OTHER)).toHaveLength(COUNT);
    expect(tg.calls.filter((c) => c.status === 500)).toHaveLength(1);
  });
});
