import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from '../../test/store/postgres';
import { createPostgresStore } from './postgres-store';
import type { FetchState, NewItem, Store } from './types';

// Two stores on one schema, each with its own pool: what two worker processes see. These are the
// guarantees leases will build on; they hold without any lease.
const T0 = 1_700_000_000_000;
const state: FetchState = {
  etag: null,
  lastModified: null,
  nextFetchAt: T0 + 1,
  lastFetchAt: T0,
  lastSuccessAt: T0,
  failures: 0,
  lastError: null,
};
const items = (n: number, channels: string[]): NewItem[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `k${i}`,
    title: `T${i}`,
    link: null,
    publishedAt: null,
    data: {},
    deliveries: channels.map((channelId) => ({ channelId, status: 'pending' as const, message: { i } })),
  }));

describe('PostgreSQL store under two workers', () => {
  let t: TestSchema;
  let a: Store;
  let b: Store;
  beforeEach(async () => {
    t = await createTestSchema();
    a = await createPostgresStore(t.url, { poolSize: 4 });
    b = await createPostgresStore(t.url, { poolSize: 4 });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await t.drop();
  });

  it('records an item fetched by both workers at once only once, with one outbox row per channel', async () => {
    const s = await a.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
    const [ra, rb] = await Promise.all([
      a.commitFetch(s.id, state, items(40, ['c1', 'c2']), T0),
      b.commitFetch(s.id, state, items(40, ['c1', 'c2']), T0),
    ]);
    expect(ra.insertedItems + rb.insertedItems).toBe(40);
    expect(ra.insertedDeliveries + rb.insertedDeliveries).toBe(80);
    expect(await a.stats()).toMatchObject({ items: 40, deliveries: { pending: 80 } });
  });

  it('gives each outbox row to exactly one of two racing claimers', async () => {
    const s = await a.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
    await a.commitFetch(s.id, state, items(10, ['c1', 'c2', 'c3', 'c4', 'c5', 'c6']), T0); // a batch takes ten rows per channel
    const rows = await b.pendingDeliveries(T0, 100);
    expect(rows).toHaveLength(60);
    const wins = await Promise.all(rows.flatMap((r) => [a.claimDelivery(r.id, T0), b.claimDelivery(r.id, T0)]));
    expect(wins.filter(Boolean)).toHaveLength(60);
    for (let i = 0; i < rows.length; i++) expect([wins[2 * i], wins[2 * i + 1]]).toContain(true);
    expect((await a.stats()).deliveries).toMatchObject({ pending: 0, sending: 60 });
    expect(new Set((await b.inDoubtDeliveries()).map((d) => d.attempts))).toEqual(new Set([1]));
  });

  it('decides a held row once when two moderators press at the same moment', async () => {
    const s = await a.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
    await a.commitFetch(
      s.id,
      state,
      [{ ...items(1, [])[0]!, deliveries: [{ channelId: 'c1', status: 'held', message: {} }] }],
      T0,
    );
    const [held] = await a.heldDeliveries(null, 10);
    const results = await Promise.all([
      a.decideDelivery(held!.id, 'approve', 'mod:a', T0),
      b.decideDelivery(held!.id, 'reject', 'mod:b', T0),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await b.getDelivery(held!.id))?.decidedBy).toBe(results[0] ? 'mod:a' : 'mod:b');
  });

  it('gives each due source to one of two workers leasing at the same moment (SKIP LOCKED)', async () => {
    for (let i = 0; i < 120; i++) await a.addSource({ url: `https://a.example/${i}`, title: `S${i}` }, T0);
    const rounds = await Promise.all(
      [0, 1, 2, 3].map((i) => (i % 2 ? a : b).leaseDueSources(`w${i}`, T0, T0 + 30_000, 40)),
    );
    const ids = rounds.flat().map((s) => s.id);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
  });

  it('gives a free lease to exactly one of many workers asking at once', async () => {
    const wins = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).tryLease('channel', 'c1', `w${i}`, T0, T0 + 30_000)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    const [lease] = await a.listLeases('channel');
    expect(lease?.owner).toBe(`w${wins.indexOf(true)}`);
  });
});
