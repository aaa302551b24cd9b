import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toOpml } from '../../bots/sources/opml';
import { startScipop } from '../engine/child';
import type { FakeTelegram } from '../fakes/telegram/server';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import {
  FAST_LIMITS,
  GROUP,
  items,
  runInProcess,
  startTelegramWorld,
  telegramEnv,
  writeTelegramConfig,
} from './harness';

vi.setConfig({ testTimeout: 180_000 });

const BURST = 500;
let feeds: FeedServer;
const worlds: { tg: FakeTelegram; dir: string }[] = [];

beforeAll(async () => {
  feeds = await startFeedServer();
  const body = rssFeed('Burst feed', items('Burst', 1, BURST));
  feeds.route('/burst.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(body);
  });
});
afterAll(async () => {
  await feeds.close();
  for (const w of worlds) {
    await w.tg.close();
    rmSync(w.dir, { recursive: true, force: true });
  }
});

async function world() {
  const w = await startTelegramWorld();
  worlds.push(w);
  const seed = join(w.dir, 'seed.opml');
  writeFileSync(seed, toOpml([{ url: feeds.url('/burst.xml'), title: 'Burst feed', tags: ['astronomy'] }]));
  return { ...w, config: writeTelegramConfig(w.dir, { seedOpml: seed, approval: 'none' }) };
}

/** Burst titles as the group shows them, with how often each appears. */
function titleCounts(tg: FakeTelegram): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of tg.messages(GROUP)) {
    const title = m.text.split('\n')[0]!;
    if (title.startsWith('Burst #')) counts.set(title, (counts.get(title) ?? 0) + 1);
  }
  return counts;
}

/** Most posts the group received in any window of the group limit's length. */
function peakInWindow(tg: FakeTelegram): number {
  const at = tg.messages(GROUP).map((m) => m.at);
  let peak = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= FAST_LIMITS.group.windowMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

describe('a burst of 500 items to one group (Telegram limits scaled 100× on both sides)', () => {
  it('is delivered at the allowed rate, in order, with an injected 429 retried and nothing lost', async () => {
    const w = await world();
    // Telegram says "wait" once mid-burst, whatever the bot's own throttling: auto-retry handles it.
    setTimeout(
      () =>
        w.tg.failNext('sendMessage', {
          code: 429,
          description: 'Too Many Requests: retry after 1',
          parameters: { retry_after: 1 },
        }),
      3000,
    );
    const started = Date.now();
    const bots = await runInProcess(w.tg, w.db, w.config, true);
    const seconds = (Date.now() - started) / 1000;
    expect(bots.report?.delivery).toMatchObject({ sent: BURST, failed: 0 });
    const counts = titleCounts(w.tg);
    expect(counts.size).toBe(BURST);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect([...counts.keys()].slice(0, 3)).toEqual([1, 2, 3].map((i) => `Burst #${i}: is 2 < 3 & "water" > ice?`));
    expect(w.tg.tooManyRequests()).toBe(0); // the bot's own throttle kept every send under the limits
    expect(w.tg.calls.filter((c) => c.status === 429)).toHaveLength(1); // only the injected one, retried
    expect(peakInWindow(w.tg)).toBeLessThanOrEqual(FAST_LIMITS.group.count);
    // 500 posts at 20 per 600 ms cannot take less than 24 windows.
    expect(seconds).toBeGreaterThan(((BURST / FAST_LIMITS.group.count - 1) * FAST_LIMITS.group.windowMs) / 1000);
    console.log(
      `burst: ${BURST} posts in ${seconds.toFixed(1)} s; peak ${peakInWindow(w.tg)} per ${FAST_LIMITS.group.windowMs} ms window; 429s from the limiter: ${w.tg.tooManyRequests()}`,
    );
  });

  it('survives kill -9 mid-burst: restarted, it posts every item exactly once (journal covers the send→mark window)', async () => {
    const w = await world();
    const env = telegramEnv(w.tg, w.db);
    const killed = startScipop(
      ['run', '--once', '--config', w.config],
      { ...env, SCIPOP_FAILPOINT: 'after-send:120' },
      w.dir,
    );
    expect((await killed.exited).signal).toBe('SIGKILL');
    expect(titleCounts(w.tg).size).toBe(120);
    const again = startScipop(['run', '--once', '--config', w.config], env, w.dir);
    expect((await again.exited).code).toBe(0);
    expect(again.stderr()).toContain('already sent (journal)');
    const counts = titleCounts(w.tg);
    expect(counts.size).toBe(BURST);
    expect([...counts.entries()].filter(([, n]) => n > 1)).toEqual([]);
  });

  it('a kill while Telegram holds the request (before any answer) repeats at most that one post', async () => {
    const w = await world();
    const env = telegramEnv(w.tg, w.db);
    let child: ReturnType<typeof startScipop> | null = null;
    const killAt = 80;
    // Telegram has stored the post; the bot dies before the answer reaches it.
    w.tg.setOnSend(async () => {
      if (child && titleCounts(w.tg).size === killAt) {
        child.proc.kill('SIGKILL');
        await child.exited;
      }
    });
    child = startScipop(['run', '--once', '--config', w.config], env, w.dir);
    expect((await child.exited).signal).toBe('SIGKILL');
    w.tg.setOnSend(undefined);
    expect(titleCounts(w.tg).size).toBe(killAt);
    const after = startScipop(['run', '--once', '--config', w.config], env, w.dir);
    expect((await after.exited).code).toBe(0);
    const counts = titleCounts(w.tg);
    expect(counts.size).toBe(BURST); // nothing lost
    const repeated = [...counts.entries()].filter(([, n]) => n > 1);
    expect(repeated.length).toBeLessThanOrEqual(1);
    console.log(
      `kill during a send: ${repeated.length} post(s) repeated (${repeated.map(([t]) => t).join(', ') || 'none'})`,
    );
  });
});
