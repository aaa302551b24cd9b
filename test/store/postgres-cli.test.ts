import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresStore } from '../../bots/store/postgres-store';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import { LATEST_VERSION } from '../../bots/store/migrations';
import { postsIn, runScipop, writeRunConfig } from '../engine/child';
import { rssFeed, startFeedServer, type FeedServer, type TestFeedItem } from '../support/feed-server';
import { createTestSchema, type TestSchema } from './postgres';

// Child processes start slowly on a loaded 2-core machine (tsx compiles on start).
vi.setConfig({ testTimeout: 180_000 });

let server: FeedServer;
let dir: string;
let items: TestFeedItem[] = [];
const schemas: TestSchema[] = [];
const item = (n: number): TestFeedItem => ({
  title: `Exoplanet result ${n}`,
  link: `https://news.example/${n}`,
  guid: `g${n}`,
  date: new Date(Date.UTC(2026, 10, 29, 0, n)),
  description: 'Gene editing news.',
});
const schema = async () => {
  const t = await createTestSchema();
  schemas.push(t);
  return t;
};

beforeAll(async () => {
  server = await startFeedServer();
  server.route('/news', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rssFeed('Local news', items));
  });
  dir = mkdtempSync(join(tmpdir(), 'scipop-pg-cli-'));
});
afterAll(async () => {
  await server?.close();
  for (const t of schemas) await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('scipop migrate', () => {
  it('migrates a new PostgreSQL schema once, then finds nothing to do; the same for a SQLite file', async () => {
    const t = await schema();
    const first = await runScipop(['migrate'], { SCIPOP_DB: t.url }, dir);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain(`schema version 0 → ${LATEST_VERSION}`);
    expect(first.stdout).toContain(t.schema);
    const again = await runScipop(['migrate'], { SCIPOP_DB: t.url }, dir);
    expect(again.stdout).toContain(`already at schema version ${LATEST_VERSION}`);
    const file = await runScipop(['migrate', '--db', join(dir, 'm', 'm.db')], {}, dir);
    expect(file.stdout).toBe(`${join(dir, 'm', 'm.db')}: schema version 0 → ${LATEST_VERSION}\n`);
  });

  it('names the malformed postgres:// URL and exits 1', async () => {
    const r = await runScipop(['migrate'], { SCIPOP_DB: 'postgres://[bad' }, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('scipop: not a valid postgres:// URL: postgres://[bad\n');
  });
});

describe('moving a single-process network to PostgreSQL', () => {
  it('copies the SQLite store, then scipop run on SCIPOP_DB=postgres:// posts only what is new', async () => {
    const config = writeRunConfig(dir, [server.url('/news')]);
    const file = join(dir, 'data', 'scipop.db');
    items = [item(1)];
    expect(
      (
        await runScipop(
          ['run', '--once', '--config', config],
          { SCIPOP_DB: file, SCIPOP_ALLOW_PRIVATE_NETWORKS: '1' },
          dir,
        )
      ).code,
    ).toBe(0);
    items = [item(3), item(2), item(1)];
    const sqliteRun = await runScipop(
      ['run', '--once', '--config', config],
      { SCIPOP_DB: file, SCIPOP_ALLOW_PRIVATE_NETWORKS: '1' },
      dir,
    );
    expect(postsIn(sqliteRun.stdout)).toHaveLength(2);

    // A digest the SQLite network recorded travels too, so the PostgreSQL one does not send it again.
    const sqlite = createSqliteStore(file);
    const digest = {
      channelId: 'console',
      slotAt: 1_790_000_000_000,
      sinceAt: null,
      stories: 0,
      late: false,
      parts: [],
    };
    expect(await sqlite.commitDigest(digest, 1_790_000_000_000)).toBe(true);
    await sqlite.close();

    const t = await schema();
    const copy = await runScipop(['store', 'copy', '--from', file, '--to', t.url], {}, dir);
    expect(copy.stderr).toBe('');
    expect(copy.stdout).toContain(
      '1 sources, 1 channels, 3 items, 2 outbox, 1 item_verdicts, 1 subscriptions, 1 digests',
    );
    const copied = await createPostgresStore(t.url);
    try {
      expect(await copied.lastDigest('console')).toMatchObject({ slotAt: 1_790_000_000_000, parts: 0 });
      expect(await copied.commitDigest(digest, 1_790_000_000_001)).toBe(false);
      expect((await copied.stats()).deliveries).toMatchObject({ sent: 2, pending: 0, sending: 0 });
      expect((await copied.listSources())[0]).toMatchObject({
        url: server.url('/news'),
        title: 'Local feed 1',
        tags: ['astronomy'],
      });
    } finally {
      await copied.close();
    }

    const refused = await runScipop(['store', 'copy', '--from', file, '--to', t.url], {}, dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /already holds rows \(sources, channels, items, outbox, item_verdicts, subscriptions, digests\)/,
    );

    items = [item(4), item(3), item(2), item(1)];
    const env = { SCIPOP_DB: t.url, SCIPOP_ALLOW_PRIVATE_NETWORKS: '1' };
    const pgRun = await runScipop(['run', '--once', '--config', config], env, dir);
    expect(pgRun.code).toBe(0);
    expect(pgRun.stderr).not.toContain('first run: imported the default sources');
    expect(postsIn(pgRun.stdout).map((p) => p.channel)).toEqual(['console']);
    expect(pgRun.stdout).toContain('Exoplanet result 4');
    expect(postsIn((await runScipop(['run', '--once', '--config', config], env, dir)).stdout)).toEqual([]);

    const list = await runScipop(['sources', 'list'], env, dir);
    expect(list.stdout).toMatch(/Local feed 1 .*ok/);
    const dry = await runScipop(['run', '--once', '--dry-run', '--config', config], env, dir);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain('not available with a postgres:// SCIPOP_DB');
  });
});

describe('scipop workers', () => {
  it('shows each worker with its state, heartbeat, destinations, roles and fetches; --json for machines', async () => {
    const t = await schema();
    const store = await createPostgresStore(t.url, { poolSize: 1 });
    const now = Date.now();
    try {
      await store.upsertChannel({ id: 'tg-main', sink: 'telegram', target: '-1001', title: 'Main', rules: {} }, now);
      await store.upsertChannel({ id: 'dc-news', sink: 'discord', target: '42', title: 'News', rules: {} }, now);
      await store.heartbeat(
        { id: 'box-1:100:aaaaaa', host: 'box-1', pid: 100, version: '0.1.0', startedAt: now - 60_000 },
        now,
        now + 30_000,
      );
      await store.heartbeat(
        { id: 'box-2:200:bbbbbb', host: 'box-2', pid: 200, version: '0.0.9', startedAt: now - 600_000 },
        now - 120_000,
        now - 90_000,
      );
      await store.tryLease('channel', 'tg-main', 'box-1:100:aaaaaa', now, now + 30_000);
      await store.tryLease('role', 'telegram-updates', 'box-1:100:aaaaaa', now, now + 30_000);
      await store.addSource({ url: 'https://a.example/feed', title: 'A' }, now - 1000);
      await store.leaseDueSources('box-1:100:aaaaaa', now, now + 30_000, 10);
    } finally {
      await store.close();
    }
    const r = await runScipop(['workers', '--leases'], { SCIPOP_DB: t.url }, dir);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      '1 live worker of 2 known (a worker silent for 23 s is taken for dead; its work moves within 30 s)',
    );
    expect(lines.find((l) => l.startsWith('box-1:100:aaaaaa'))).toMatch(
      /0\.1\.0\s+alive\s+\S+ s ago\s+\S+ s\s+1\s+1 \(oldest \S+ s\)\s+telegram-updates$/,
    );
    expect(lines.find((l) => l.startsWith('box-2:200:bbbbbb'))).toMatch(/0\.0\.9\s+dead\s+12\d s ago/);
    expect(r.stdout).toContain('destinations with no live owner (their posts wait): dc-news');
    expect(lines.find((l) => l.startsWith('channel'))).toMatch(/^channel\s+tg-main\s+box-1:100:aaaaaa\s+/);
    const json = JSON.parse((await runScipop(['workers', '--json'], { SCIPOP_DB: t.url }, dir)).stdout) as {
      workers: { id: string; alive: boolean; channels: number; fetching: number }[];
    };
    expect(json.workers.map((w) => [w.id, w.alive, w.channels, w.fetching])).toEqual([
      ['box-2:200:bbbbbb', false, 0, 0],
      ['box-1:100:aaaaaa', true, 1, 1],
    ]);
  });
});
