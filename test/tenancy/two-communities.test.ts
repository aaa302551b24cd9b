import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../bots/engine/engine';
import { createFetcher } from '../../bots/engine/fetcher';
import { parseFeedText } from '../../bots/engine/parse-feed';
import { createConsoleSink } from '../../bots/engine/sinks/console-sink';
import type { EngineDeps } from '../../bots/engine/types';
import { createPostgresStore } from '../../bots/store/postgres-store';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { Channel, Store } from '../../bots/store/types';
import type { Scope } from '../../bots/tenancy/scope';
import { addFor, pauseFor, removeFor } from '../../bots/tenancy/services';
import { createTestSchema } from '../store/postgres';
import { roundDeps } from '../store/release/scenario';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';

/**
 * Two communities on one network: community A's admin unsubscribes, pauses, adds a feed of their
 * own and narrows their filters between rounds of fetching; community B's posts must be exactly
 * those of a run where A's admin did nothing (same posts, same order). On SQLite with one worker
 * and on PostgreSQL with two.
 */
let feeds: FeedServer;
let round = 0;
const FEEDS = ['/f1', '/f2', '/f3', '/a-own'];

beforeAll(async () => {
  feeds = await startFeedServer();
  for (const path of FEEDS)
    feeds.route(path, (_req, res) => {
      // Each round lists two more items, newest first.
      const list = Array.from({ length: round * 2 }, (_, k) => {
        const i = round * 2 - k;
        return {
          title: `${path.slice(1)} item ${i}`,
          link: `https://news.example${path}/${i}`,
          guid: `${path}-${i}`,
          date: new Date(Date.UTC(2026, 10, 29, 0, 0, i)),
          description: 'News.',
        };
      });
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(rssFeed(`Feed ${path}`, list));
    });
});
afterAll(() => feeds.close());

const CHANNELS: Channel[] = [
  { id: 'A', sink: 'console', target: 'a', title: 'Community A', rules: { approval: 'none' } },
  { id: 'B', sink: 'console', target: 'b', title: 'Community B', rules: { approval: 'none' } },
];

/** A's admin, as their platform would describe them (their chat is place `a`). */
const scopeOfA: Scope = {
  actor: { platform: 'console', userId: 'a-admin', operator: false, places: ['a'] },
  here: [{ id: 'A', platform: 'console', place: 'a', channel: CHANNELS[0]! }],
  all: CHANNELS.map((c) => ({ id: c.id, platform: 'console', place: c.target, channel: c })),
};

/** Runs three rounds on `stores` (one per worker); returns each channel's posts, in the order sent. */
type Posts = { A: string[]; B: string[] };

async function network(stores: Store[], adminActs: boolean): Promise<Posts> {
  round = 0;
  const posts: Posts = { A: [], B: [] };
  const write = (text: string) => {
    const m = /\[post \S+ → (\S+)\]\n(.*)\n/.exec(text);
    if (m) posts[m[1] as keyof Posts].push(m[2]!);
  };
  const fetcher = createFetcher({ allowPrivateNetworks: true, timeoutMs: 5000 });
  const [first] = stores;
  for (const c of CHANNELS) await first!.upsertChannel(c, Date.now());
  for (const path of FEEDS.slice(0, 3))
    await first!.addSource({ url: feeds.url(path), title: path, trusted: true }, Date.now());
  const engines: Engine[] = stores.map((store) => {
    const base = roundDeps(store, (text: string, o: { url: string }) => parseFeedText(text, o));
    const deps = {
      ...base,
      fetcher,
      clock: { now: () => new Date() },
      sinks: new Map([['console', createConsoleSink({ write })]]),
    } as unknown as EngineDeps;
    return createEngine(deps);
  });
  for (const e of engines) await e.init();
  const settle = async () => {
    for (let pass = 0; pass < 20; pass++) {
      for (const e of engines) await e.runOnce(pass === 0 ? undefined : []);
      if ((await first!.pendingDeliveries(Date.now() + 1, 10)).length === 0) return;
    }
    throw new Error('deliveries did not settle');
  };
  try {
    for (round = 1; round <= 3; round++) {
      // Only one worker fetches a round (the others find nothing new); all of them deliver.
      await settle();
      if (adminActs && round === 1) {
        const deps = { store: first!, now: () => Date.now() };
        const f1 = (await first!.getSource(feeds.url('/f1')))!;
        const f2 = (await first!.getSource(feeds.url('/f2')))!;
        expect(await removeFor(deps, scopeOfA, f1)).toMatch(/^Unsubscribed Community A/);
        expect(await pauseFor(deps, scopeOfA, f2, 'a-admin')).toMatch(/^Paused .* for Community A/);
        const own = await addFor(deps, scopeOfA, { url: feeds.url('/a-own'), title: 'A own' }, undefined);
        expect(own.subscribed).toEqual(['Community A']);
        await first!.upsertChannel(
          { ...CHANNELS[0]!, rules: { approval: 'none', exclude: ['f3 item 5'] } },
          Date.now(),
        );
        for (const e of engines) await e.reloadChannels();
      }
    }
  } finally {
    for (const e of engines) await e.stop();
    fetcher.close();
  }
  return posts;
}

describe('two communities on one network', () => {
  const check = (idle: Posts, busy: Posts) => {
    expect(busy.B).toEqual(idle.B);
    expect(idle.B).toHaveLength(3 * 6);
    // A's admin did change A: no f1 or f2 after round 1, its own feed, its filter.
    expect(busy.A).not.toEqual(idle.A);
    expect(busy.A.filter((t) => /^f[12] item [3-6]$/.test(t))).toEqual([]);
    expect(busy.A).toContain('a-own item 3');
    expect(busy.A).not.toContain('f3 item 5');
    expect(busy.B.some((t) => t.startsWith('a-own'))).toBe(false);
  };

  it('SQLite, one worker: B gets the same posts in the same order whatever A does', async () => {
    const dirs: string[] = [];
    const run = async (acts: boolean) => {
      const dir = mkdtempSync(join(tmpdir(), 'scipop-tenancy-'));
      dirs.push(dir);
      const store = createSqliteStore(join(dir, 'scipop.db'));
      try {
        return await network([store], acts);
      } finally {
        await store.close();
      }
    };
    try {
      check(await run(false), await run(true));
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  it('PostgreSQL, two workers: the same', async () => {
    const run = async (acts: boolean) => {
      const t = await createTestSchema();
      const stores = [await createPostgresStore(t.url), await createPostgresStore(t.url)];
      try {
        return await network(stores, acts);
      } finally {
        for (const s of stores) await s.close();
        await t.drop();
      }
    };
    check(await run(false), await run(true));
  });
});
