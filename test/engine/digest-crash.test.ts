import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toOpml } from '../../bots/sources/opml';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { postsIn, runScipop } from './child';

// Child processes start slowly on a loaded 2-core machine (tsx compiles on start).
vi.setConfig({ testTimeout: 200_000 }); // and it waits for the scheduled minute

let server: FeedServer;
const dir = mkdtempSync(join(tmpdir(), 'scipop-digest-crash-'));
beforeAll(async () => {
  server = await startFeedServer();
  const items = Array.from({ length: 3 }, (_, i) => ({
    title: `Story ${i + 1}: w${i}a w${i}b w${i}c`,
    link: `https://news.example/${i + 1}`,
    guid: `g${i + 1}`,
    date: new Date(Date.now() - (i + 1) * 60_000),
    description: 'A telescope saw an exoplanet.',
  }));
  server.route('/f', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rssFeed('Feed', items));
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 at the scheduled minute (real child processes)', () => {
  it('sends the digest once: killed right after committing it, the next run sends it, the one after sends nothing', async () => {
    const opml = join(dir, 'sources.opml');
    writeFileSync(opml, toOpml([{ url: server.url('/f'), title: 'Feed', tags: ['astronomy'] }]));
    // Due at the start of the next minute (UTC): a first run fetches the stories before it.
    const due = Math.ceil((Date.now() + 20_000) / 60_000) * 60_000; // the fetch run ends well before it
    const d = new Date(due);
    const at = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      `sources:\n  seedOpml: ${JSON.stringify(opml)}\n  firstFetchPosts: 10\nchannels:\n` +
        `  - { id: main, sink: console, target: main, title: Main, digest: { at: "${at}", timezone: UTC } }\n`,
    );
    const env = { SCIPOP_DB: join(dir, 'scipop.db'), SCIPOP_ALLOW_PRIVATE_NETWORKS: '1' };
    const fetched = await runScipop(['run', '--once', '--config', config], env, dir);
    expect(fetched.code).toBe(0);
    expect(postsIn(fetched.stdout)).toEqual([]); // digest-only: the stories wait for the digest
    // The scheduled minute: killed right after the digest is committed, before any part is sent.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now() + 200)));
    const killed = await runScipop(
      ['run', '--once', '--config', config],
      { ...env, SCIPOP_FAILPOINT: 'after-digest:1' },
      dir,
    );
    expect(killed.signal).toBe('SIGKILL');
    expect(postsIn(killed.stdout)).toEqual([]);
    const next = await runScipop(['run', '--once', '--config', config], env, dir);
    expect(next.code).toBe(0);
    const posts = postsIn(next.stdout);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ channel: 'main', resent: false });
    expect(next.stdout).toMatch(/\nScience digest · .*\nMain · 3 stories from 1 source\n/);
    const after = await runScipop(['run', '--once', '--config', config], env, dir);
    expect(postsIn(after.stdout)).toEqual([]);
  });
});
