import { expect, it } from 'vitest';
import { fetchedAt, type StoreHarness } from './harness';
import type { DashboardGrant } from './dashboard-types';

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
const alice: DashboardGrant = {
  platform: 'telegram',
  userId: '11',
  name: '@alice',
  operator: false,
  channelIds: ['c1'],
};

/** The dashboard's rows: one-time sign-in links, sessions that outlive a restart, the overview's counts. */
export function defineDashboardStateContract(harness: () => StoreHarness): void {
  it('lets a sign-in link be used once, before it expires, by one of two racing workers', async () => {
    const { store, reopen } = harness();
    await store.createDashboardSignIn('h1', alice, T0, T0 + 600_000);
    await store.createDashboardSignIn('h2', alice, T0, T0 + 600_000);
    const other = await reopen();
    const [a, b] = await Promise.all([
      store.redeemDashboardSignIn('h1', T0 + 1000),
      other.redeemDashboardSignIn('h1', T0 + 1000),
    ]);
    expect([a, b].filter(Boolean)).toEqual([alice]);
    expect(await store.redeemDashboardSignIn('h1', T0 + 2000)).toBeUndefined();
    expect(await store.redeemDashboardSignIn('h2', T0 + 600_000)).toBeUndefined();
    expect(await store.redeemDashboardSignIn('unknown', T0)).toBeUndefined();
  });

  it('keeps sessions across a reopen until they expire or end', async () => {
    const { store, reopen } = harness();
    await store.createDashboardSession('s1', alice, T0, T0 + 3_600_000);
    const again = await reopen();
    expect(await again.dashboardSession('s1', T0 + 1)).toEqual({
      grant: alice,
      createdAt: T0,
      expiresAt: T0 + 3_600_000,
    });
    expect(await again.dashboardSession('s1', T0 + 3_600_000)).toBeUndefined();
    expect(await again.dashboardSession('s2', T0)).toBeUndefined();
    expect(await again.endDashboardSession('s1')).toBe(true);
    expect(await store.dashboardSession('s1', T0 + 1)).toBeUndefined();
    expect(await store.endDashboardSession('s1')).toBe(false);
  });

  it('prunes expired links and sessions only', async () => {
    const { store } = harness();
    await store.createDashboardSignIn('old', alice, T0, T0 + 10);
    await store.createDashboardSession('old', alice, T0, T0 + 10);
    await store.createDashboardSession('new', alice, T0, T0 + 1000);
    expect(await store.pruneDashboard(T0 + 10)).toBe(2);
    expect(await store.dashboardSession('new', T0 + 20)).toBeDefined();
  });

  it('counts posts per channel and UTC day, and held and pending rows per channel', async () => {
    const { store } = harness();
    const day0 = Math.floor(T0 / DAY) * DAY;
    const src = await store.addSource({ url: 'https://a.example/feed', title: 'A', tags: [] }, day0);
    const newItem = (key: string, channelId: string, status: 'held' | 'pending') => ({
      key,
      title: key,
      link: null,
      publishedAt: null,
      data: {},
      deliveries: [{ channelId, status, message: { title: key } }],
    });
    await store.commitFetch(
      src.id,
      fetchedAt(day0),
      [newItem('a', 'c1', 'pending'), newItem('b', 'c1', 'pending'), newItem('c', 'c2', 'pending')],
      day0,
    );
    await store.commitFetch(src.id, fetchedAt(day0), [newItem('d', 'c1', 'held'), newItem('e', 'c2', 'pending')], day0);
    const rows = await store.pendingDeliveries(day0 + DAY * 3, 10);
    const byKey = new Map<string, string>();
    for (const r of rows) byKey.set((r.message as { title: string }).title, r.id);
    for (const [key, at] of [
      ['a', day0 + 5],
      ['b', day0 + DAY + 5],
      ['c', day0 + DAY + 6],
    ] as const) {
      expect(await store.claimDelivery(byKey.get(key)!, at)).toBe(true);
      await store.markSent(byKey.get(key)!, at, null);
    }
    expect(await store.dailyPosts(day0)).toEqual([
      { channelId: 'c1', day: day0 / DAY, posts: 1 },
      { channelId: 'c1', day: day0 / DAY + 1, posts: 1 },
      { channelId: 'c2', day: day0 / DAY + 1, posts: 1 },
    ]);
    expect(await store.dailyPosts(day0 + DAY)).toHaveLength(2);
    expect(await store.queueSizes()).toEqual([
      { channelId: 'c1', held: 1, pending: 0 },
      { channelId: 'c2', held: 0, pending: 1 },
    ]);
  });

  it('lists the newest items of some sources, or of every source, for the rule preview', async () => {
    const { store } = harness();
    const a = await store.addSource({ url: 'https://a.example/feed', title: 'A', tags: [] }, T0);
    const b = await store.addSource({ url: 'https://b.example/feed', title: 'B', tags: [] }, T0);
    const item = (key: string, publishedAt: number | null) => ({
      key,
      title: `Title ${key}`,
      link: `https://a.example/${key}`,
      publishedAt,
      data: { key, title: `Title ${key}`, summary: 'S', categories: [] },
      deliveries: [],
    });
    await store.commitFetch(a.id, fetchedAt(T0), [item('a1', T0 - 2), item('a2', null)], T0);
    await store.commitFetch(b.id, fetchedAt(T0 + 1), [item('b1', T0 - 5)], T0 + 1);
    await store.commitFetch(a.id, fetchedAt(T0 + 2), [item('a3', T0 - 9)], T0 + 2);
    const keys = (rows: { data: unknown }[]) => rows.map((r) => (r.data as { key: string }).key);
    expect(keys(await store.recentItems(null, 10))).toEqual(['a3', 'b1', 'a1', 'a2']);
    expect(keys(await store.recentItems({ sourceIds: [a.id] }, 2))).toEqual(['a3', 'a1']);
    expect(keys(await store.recentItems({ sourceIds: [a.id, b.id] }, 10))).toHaveLength(4);
    expect(await store.recentItems({ sourceIds: [] }, 10)).toEqual([]);
    const [first] = await store.recentItems({ sourceIds: [b.id] }, 1);
    expect(first).toMatchObject({
      sourceId: b.id,
      title: 'Title b1',
      link: 'https://a.example/b1',
      publishedAt: T0 - 5,
    });
    expect(first!.seenAt).toBe(T0 + 1);
    // A channel's: the sources it subscribes to, not those it paused.
    await store.upsertChannel({ id: 'ch', sink: 'console', target: 'x', title: 'Ch', rules: { sources: [a.id] } }, T0);
    await store.subscribe('ch', a.id, T0);
    await store.subscribe('ch', b.id, T0);
    expect(keys(await store.recentItems({ channelId: 'ch' }, 10))).toEqual(['a3', 'b1', 'a1', 'a2']);
    await store.pauseSubscription('ch', b.id, 'paused by a test', T0);
    expect(keys(await store.recentItems({ channelId: 'ch' }, 10))).toEqual(['a3', 'a1', 'a2']);
    expect(await store.recentItems({ channelId: 'nobody' }, 10)).toEqual([]);
  });
}
