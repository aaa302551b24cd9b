import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runScipop } from '../engine/child';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { discordEnv, items, runInProcess, startDiscordWorld, writeDiscordConfig, type DiscordWorld } from './harness';

// Child processes start slowly on a loaded 2-core machine (tsx compiles on start).
vi.setConfig({ testTimeout: 180_000 });

let world: DiscordWorld | null = null;
let feeds: FeedServer | null = null;
afterEach(async () => {
  await world?.discord.close();
  if (world) rmSync(world.dir, { recursive: true, force: true });
  await feeds?.close();
  world = null;
  feeds = null;
});

async function serve(count: number): Promise<string> {
  feeds = await startFeedServer();
  const list = items('burst', 1, count);
  feeds.route('/feed', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rssFeed('Burst', list));
  });
  return feeds.url('/feed');
}

const titles = (w: DiscordWorld) =>
  w.discord.messages(w.news.id).map((m) => String((m.embeds[0] as { title: string }).title));

describe('Discord delivery under load and crashes', () => {
  it('delivers a 500-item burst without loss through per-channel buckets and 429s', async () => {
    world = await startDiscordWorld();
    const url = await serve(500);
    const config = writeDiscordConfig(world, [{ id: 'news', target: world.news.id }], { feeds: [url] });
    world.discord.limiter.force(3, 200); // three unexpected 429s up front, as after a restart
    const started = Date.now();
    const bots = await runInProcess(world, config, true);
    const seconds = (Date.now() - started) / 1000;
    expect(bots.report?.delivery).toMatchObject({ sent: 500, failed: 0 });
    const got = titles(world);
    expect(got).toHaveLength(500);
    expect(new Set(got).size).toBe(500);
    const refused = world.discord.requests.filter((r) => r.status === 429).length;
    expect(refused).toBeGreaterThanOrEqual(3);
    // 500 posts at 5 per 50 ms cannot take less than 4.9 s: the REST manager kept to the buckets.
    expect(seconds).toBeGreaterThan(4.9);
    console.info(`discord burst: 500 posts in ${seconds.toFixed(1)} s, ${refused} 429s answered`);
  });

  for (const [name, nonceWindowMs] of [
    ['within Discord’s nonce window', undefined],
    ['the channel check (nonce window passed)', 0],
  ] as const) {
    it(`restarts after kill -9 between a send and its record without a duplicate (${name})`, async () => {
      world = await startDiscordWorld(nonceWindowMs === undefined ? {} : { nonceWindowMs });
      const url = await serve(12);
      const config = writeDiscordConfig(world, [{ id: 'news', target: world.news.id }], { feeds: [url] });
      const env = discordEnv(world);
      const crashed = await runScipop(
        ['run', '--once', '--config', config],
        { ...env, SCIPOP_FAILPOINT: 'after-send:5', SCIPOP_LOG_LEVEL: 'warn' },
        world.dir,
      );
      expect(crashed.signal).toBe('SIGKILL');
      expect(titles(world)).toHaveLength(5);
      const restarted = await runScipop(
        ['run', '--once', '--config', config],
        { ...env, SCIPOP_LOG_LEVEL: 'info' },
        world.dir,
      );
      expect(restarted.code).toBe(0);
      const got = titles(world);
      expect(got).toHaveLength(12);
      expect(new Set(got).size).toBe(12);
      if (nonceWindowMs === 0)
        expect(restarted.stdout + restarted.stderr).toContain('in-doubt post is already in the channel');
    });
  }
});
