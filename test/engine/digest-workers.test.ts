import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineSettings } from '../../bots/config/engine-settings';
import { parseConfig } from '../../bots/config/config';
import { createEngine } from '../../bots/engine/engine';
import { createFetcher } from '../../bots/engine/fetcher';
import { parseFeedText } from '../../bots/engine/parse-feed';
import type { Sink } from '../../bots/engine/sinks/types';
import type { EngineDeps } from '../../bots/engine/types';
import { createPostgresStore } from '../../bots/store/postgres-store';
import type { Store } from '../../bots/store/types';
import { createTestSchema, type TestSchema } from '../store/postgres';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { createTestClock } from './harness';

// Three engines on one PostgreSQL schema, as three `scipop run` processes would be, reach a digest's
// minute together: the digest is committed by one, and each part is sent once.
let server: FeedServer;
let schema: TestSchema;
const stores: Store[] = [];
beforeAll(async () => {
  server = await startFeedServer();
  const items = Array.from({ length: 5 }, (_, i) => ({
    title: `Story ${i + 1}: w${i}a w${i}b w${i}c`,
    link: `https://news.example/${i + 1}`,
    guid: `g${i + 1}`,
    date: new Date(Date.UTC(2026, 9, 30, 0, i)),
    description: 'A telescope saw an exoplanet.',
  }));
  server.route('/feed', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rssFeed('Feed', items));
  });
  schema = await createTestSchema();
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await schema.drop();
  await server.close();
});

describe('a digest with many workers on PostgreSQL', () => {
  it('is sent once when every worker reaches its minute at the same time', async () => {
    const config = parseConfig({
      sources: { firstFetchPosts: 10 },
      channels: [{ id: 'daily', sink: 'rec', target: 'd', digest: { at: '08:00', timezone: 'Asia/Shanghai' } }],
    });
    const clock = createTestClock(Date.parse('2026-10-30T12:00:00Z'));
    const sent: { worker: number; title: string }[] = [];
    const seed = await createPostgresStore(schema.url, { poolSize: 1 });
    stores.push(seed);
    await seed.upsertChannel(
      { id: 'daily', sink: 'rec', target: 'd', title: 'Daily', rules: {}, digest: config.channels[0]!.digest },
      clock.ms,
    );
    const source = await seed.addSource({ url: server.url('/feed'), title: 'Feed' }, clock.ms);
    const engines = await Promise.all(
      [0, 1, 2].map(async (n) => {
        const store = await createPostgresStore(schema.url, { poolSize: 3 });
        stores.push(store);
        const sink: Sink = {
          name: 'rec',
          idempotent: false,
          async send(_target, message) {
            sent.push({ worker: n, title: message.title });
            return { remoteId: null };
          },
          async notify() {},
        };
        const deps: EngineDeps = {
          store,
          fetcher: createFetcher({ allowPrivateNetworks: true, timeoutMs: 5000 }),
          parse: (text, o) => parseFeedText(text, o),
          sinks: new Map([['rec', sink]]),
          settings: engineSettings(config),
          clock,
          random: () => 0.5,
          log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
        };
        const engine = createEngine(deps);
        await engine.init();
        return engine;
      }),
    );
    await engines[0]!.runOnce([source]);
    expect(sent).toEqual([]); // digest-only
    clock.set(Date.parse('2026-10-31T00:00:03Z'));
    await Promise.all(engines.map((e) => e.runOnce([])));
    await Promise.all(engines.map((e) => e.runOnce([])));
    expect(sent.map((s) => s.title)).toEqual(['Science digest · Saturday 31 October 2026']);
    expect((await seed.lastDigest('daily'))?.slotAt).toBe(Date.parse('2026-10-31T00:00:00Z'));
    for (const e of engines) await e.stop();
  });
});
