import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rssFeed, startFeedServer, type FeedServer, type TestFeedItem } from '../support/feed-server';
import { postsIn, runScipop, writeRunConfig } from './child';

// Child processes start slowly on a loaded 2-core machine (tsx compiles on start).
vi.setConfig({ testTimeout: 120_000 });

let server: FeedServer;
let dir: string;
let items: TestFeedItem[] = [];
const item = (n: number): TestFeedItem => ({
  title: `Exoplanet result ${n}`,
  link: `https://news.example/${n}`,
  guid: `g${n}`,
  date: new Date(Date.UTC(2026, 10, 29, 0, n)),
  description: 'Gene editing news.',
});

beforeAll(async () => {
  server = await startFeedServer();
  server.route('/news', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rssFeed('Local news', items));
  });
  dir = mkdtempSync(join(tmpdir(), 'scipop-run-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scipop run --once (a real child process)', () => {
  it('imports the seed sources, posts nothing on a first fetch, then prints new items; --dry-run records nothing', async () => {
    const config = writeRunConfig(dir, [server.url('/news'), server.url('/missing')]);
    const env = { SCIPOP_DB: join(dir, 'data', 'scipop.db'), SCIPOP_ALLOW_PRIVATE_NETWORKS: '1' };
    items = [item(1)];
    const first = await runScipop(['run', '--once', '--config', config], env, dir);
    expect(first.stderr).toContain('first run: imported the default sources');
    expect(first.code).toBe(0);
    expect(postsIn(first.stdout)).toEqual([]);
    expect(first.stderr).toMatch(/"source":"http:\/\/127\.0\.0\.1:\d+\/missing".*"err":"HTTP 404/);

    items = [item(3), item(2), item(1)];
    const dry = await runScipop(['run', '--once', '--dry-run', '--config', config], env, dir);
    expect(dry.code).toBe(0);
    expect(postsIn(dry.stdout)).toHaveLength(2);
    expect(dry.stderr).toContain('dry run done (nothing was recorded)');

    const second = await runScipop(['run', '--once', '--config', config], env, dir);
    expect(second.code).toBe(0);
    const posts = postsIn(second.stdout);
    expect(posts.map((p) => p.channel)).toEqual(['console', 'console']);
    expect(second.stdout).toMatch(/Exoplanet result 2\nLocal feed 1 · 2026-11-29 00:02\nhttps:\/\/news\.example\/2/);
    expect(second.stdout).toMatch(/• exoplanet: /);

    const third = await runScipop(['run', '--once', '--config', config], env, dir);
    expect(postsIn(third.stdout)).toEqual([]);

    const list = await runScipop(['sources', 'list'], env, dir);
    expect(list.stdout).toMatch(/Local feed 2 .*failing \(3\): HTTP 404/);
  });

  it('refuses loopback sources without SCIPOP_ALLOW_PRIVATE_NETWORKS, logging why, without crashing', async () => {
    const sub = mkdtempSync(join(dir, 'private-'));
    const config = writeRunConfig(sub, [server.url('/news')]);
    const r = await runScipop(['run', '--once', '--config', config], { SCIPOP_DB: join(sub, 'x.db') }, sub);
    expect(r.stderr).toMatch(/loopback\/private\/link-local/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.code).toBe(1); // every source failed
  });

  it('rejects a bad config with one line per problem and exit 2', async () => {
    const sub = mkdtempSync(join(dir, 'bad-'));
    const bad = join(sub, 'bad.yaml');
    (await import('node:fs')).writeFileSync(
      bad,
      'channels:\n  - id: c\n    sink: console\n    target: x\n    rules:\n      includeRegex: ["(a"]\nfetch:\n  concurrency: 0\n',
    );
    const r = await runScipop(['run', '--once', '--config', bad], { SCIPOP_DB: join(sub, 'x.db') }, sub);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `scipop: ${bad}: fetch.concurrency: Too small: expected number to be >0`,
    ]);
  });
});
