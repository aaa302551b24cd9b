import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION } from './migrations';
import { defineDigestContract } from './digest-contract';
import { defineDashboardStateContract } from './dashboard-contract';
import { defineDeliveryLogContract } from './delivery-log-contract';
import { defineGlossaryStateContract } from './glossary-contract';
import { definePlatformStateContract } from './platform-contract';
import type { StoreHarness } from './harness';
import { defineSubscriptionContract } from './subscriptions-contract';
import { StoreError, type FetchState, type NewItem, type Store } from './types';

export type { StoreHarness } from './harness';

const T0 = 1_700_000_000_000;

const okState = (over: Partial<FetchState> = {}): FetchState => ({
  etag: '"v1"',
  lastModified: 'Tue, 14 Nov 2023 22:13:20 GMT',
  nextFetchAt: T0 + 600_000,
  lastFetchAt: T0,
  lastSuccessAt: T0,
  failures: 0,
  lastError: null,
  ...over,
});

const item = (key: string, channels: string[] = [], status: 'pending' | 'held' = 'pending'): NewItem => ({
  key,
  title: `Title ${key}`,
  link: `https://example.org/${key}`,
  publishedAt: T0 - 1000,
  data: { key, title: `Title ${key}` },
  deliveries: channels.map((channelId) => ({ channelId, status, message: { title: `Title ${key}`, to: channelId } })),
});

/**
 * The Store contract: every implementation (SQLite now, PostgreSQL in its issue) runs this same
 * suite with its own factory, so both behave alike where the engine can tell.
 */
export function defineStoreContract(name: string, factory: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let h: StoreHarness;
    let store: Store;
    beforeEach(async () => {
      h = await factory();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    definePlatformStateContract(() => h);
    defineSubscriptionContract(() => h);
    defineGlossaryStateContract(() => h);
    defineDigestContract(() => h);
    defineDashboardStateContract(() => h);
    defineDeliveryLogContract(() => h);

    it('is migrated to the latest schema version', async () => {
      expect(await store.schemaVersion()).toBe(LATEST_VERSION);
    });

    it('adds, finds, updates and removes sources; a duplicate URL is a StoreError', async () => {
      const a = await store.addSource(
        { url: 'https://a.example/feed', title: 'A', tags: ['astronomy'], lang: 'en' },
        T0,
      );
      expect(a).toMatchObject({
        url: 'https://a.example/feed',
        title: 'A',
        tags: ['astronomy'],
        lang: 'en',
        trusted: true,
        active: true,
        failures: 0,
      });
      expect(a.nextFetchAt).toBe(T0);
      await expect(store.addSource({ url: 'https://a.example/feed', title: 'again' }, T0)).rejects.toMatchObject({
        code: 'duplicate',
      });
      await expect(store.addSource({ url: 'https://a.example/feed', title: 'again' }, T0)).rejects.toBeInstanceOf(
        StoreError,
      );
      expect((await store.getSource(a.id))?.title).toBe('A');
      expect((await store.getSource('https://a.example/feed'))?.id).toBe(a.id);
      const b = await store.addSource(
        { url: 'https://b.example/rss', title: 'B', trusted: false, intervalSec: 1800 },
        T0 + 1,
      );
      expect(b).toMatchObject({ trusted: false, intervalSec: 1800, tags: [] });
      expect((await store.listSources()).map((s) => s.title)).toEqual(['A', 'B']);
      const updated = await store.updateSource(a.id, { title: 'A2', tags: ['physics', 'quantum'], trusted: false });
      expect(updated).toMatchObject({ title: 'A2', tags: ['physics', 'quantum'], trusted: false });
      await expect(store.updateSource(a.id, { url: 'https://b.example/rss' })).rejects.toMatchObject({
        code: 'duplicate',
      });
      expect(await store.removeSource(a.id)).toBe(true);
      expect(await store.removeSource(a.id)).toBe(false);
      expect(await store.getSource(a.id)).toBeUndefined();
    });

    it('lists due sources soonest first, skipping paused ones, and resumes them', async () => {
      const a = await store.addSource({ url: 'https://a.example/1', title: 'A' }, T0);
      const b = await store.addSource({ url: 'https://a.example/2', title: 'B' }, T0);
      await store.saveFetchState(a.id, okState({ nextFetchAt: T0 + 5000 }));
      await store.saveFetchState(b.id, okState({ nextFetchAt: T0 + 1000 }));
      expect((await store.dueSources(T0 + 500, 10)).map((s) => s.id)).toEqual([]);
      expect((await store.dueSources(T0 + 6000, 10)).map((s) => s.id)).toEqual([b.id, a.id]);
      expect((await store.dueSources(T0 + 6000, 1)).map((s) => s.id)).toEqual([b.id]);
      expect(await store.pauseSource(b.id, 'moderator', T0)).toBe(true);
      expect((await store.dueSources(T0 + 6000, 10)).map((s) => s.id)).toEqual([a.id]);
      expect(await store.getSource(b.id)).toMatchObject({ active: false, pausedReason: 'moderator', pausedAt: T0 });
      expect(await store.resumeSource(b.id, T0 + 7000)).toBe(true);
      expect(await store.getSource(b.id)).toMatchObject({
        active: true,
        pausedReason: null,
        failures: 0,
        nextFetchAt: T0 + 7000,
      });
    });

    it('saves fetch state: validators, failures, a moved URL, and a pause with its reason', async () => {
      const s = await store.addSource({ url: 'http://old.example/feed', title: 'S' }, T0);
      await store.saveFetchState(s.id, okState({ url: 'https://new.example/feed' }));
      expect(await store.getSource(s.id)).toMatchObject({
        url: 'https://new.example/feed',
        etag: '"v1"',
        lastSuccessAt: T0,
      });
      await store.saveFetchState(
        s.id,
        okState({
          lastSuccessAt: null,
          failures: 3,
          lastError: 'HTTP 500',
          pausedReason: '3 failures in a row: HTTP 500',
        }),
      );
      expect(await store.getSource(s.id)).toMatchObject({
        url: 'https://new.example/feed',
        lastSuccessAt: T0,
        failures: 3,
        lastError: 'HTTP 500',
        active: false,
        pausedReason: '3 failures in a row: HTTP 500',
      });
    });

    it('records items and their outbox rows in one commit; a key seen before gets no new rows', async () => {
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      await store.upsertChannel({ id: 'c1', sink: 'console', target: 'main', title: 'Main', rules: {} }, T0);
      const r1 = await store.commitFetch(s.id, okState(), [item('k1', ['c1']), item('k2', ['c1'])], T0);
      expect(r1).toEqual({ insertedItems: 2, insertedDeliveries: 2 });
      expect([...(await store.unseenKeys(s.id, ['k1', 'k2', 'k3']))]).toEqual(['k3']);
      const r2 = await store.commitFetch(
        s.id,
        okState({ etag: '"v2"' }),
        [item('k2', ['c1']), item('k3', ['c1'])],
        T0 + 1,
      );
      expect(r2).toEqual({ insertedItems: 1, insertedDeliveries: 1 });
      expect((await store.getSource(s.id))?.etag).toBe('"v2"');
      const pending = await store.pendingDeliveries(T0 + 10, 10);
      expect(pending.map((d) => (d.message as { title: string }).title)).toEqual(['Title k1', 'Title k2', 'Title k3']);
      expect(pending[0]).toMatchObject({ sourceId: s.id, channelId: 'c1', status: 'pending', attempts: 0 });
      expect((await store.stats()).items).toBe(3);
    });

    it('commits a fetch all or nothing', async () => {
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      const bad = { ...item('k2', ['c1']), data: { n: BigInt(1) } }; // JSON.stringify throws mid-commit
      await expect(store.commitFetch(s.id, okState({ etag: '"v9"' }), [item('k1', ['c1']), bad], T0)).rejects.toThrow();
      expect(await store.stats()).toMatchObject({ items: 0, deliveries: { pending: 0 } });
      expect((await store.getSource(s.id))?.etag).toBeNull();
      expect(await store.commitFetch(s.id, okState(), [item('k1', ['c1'])], T0)).toEqual({
        insertedItems: 1,
        insertedDeliveries: 1,
      });
    });

    it('checks many keys at once', async () => {
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      const keys = Array.from({ length: 1200 }, (_, i) => `key-${i}`);
      await store.commitFetch(
        s.id,
        okState(),
        keys.slice(0, 700).map((k) => item(k)),
        T0,
      );
      const unseen = await store.unseenKeys(s.id, keys);
      expect(unseen.size).toBe(500);
      expect(unseen.has('key-700') && !unseen.has('key-699')).toBe(true);
    });

    it('claims a delivery once, marks it sent, and counts it toward the channel cap', async () => {
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      await store.commitFetch(s.id, okState(), [item('k1', ['c1', 'c2'])], T0);
      const [d1, d2] = await store.pendingDeliveries(T0, 10);
      expect(await store.claimDelivery(d1!.id, T0 + 1)).toBe(true);
      expect(await store.claimDelivery(d1!.id, T0 + 1)).toBe(false);
      expect((await store.inDoubtDeliveries()).map((d) => d.id)).toEqual([d1!.id]);
      expect((await store.pendingDeliveries(T0 + 1, 10)).map((d) => d.id)).toEqual([d2!.id]);
      await store.markSent(d1!.id, T0 + 2, 'msg-42');
      expect(await store.getDelivery(d1!.id)).toMatchObject({
        status: 'sent',
        sentAt: T0 + 2,
        remoteId: 'msg-42',
        attempts: 1,
      });
      expect(await store.inDoubtDeliveries()).toEqual([]);
      expect(await store.countSentSince(d1!.channelId, T0)).toBe(1);
      expect(await store.countSentSince(d1!.channelId, T0 + 3)).toBe(0);
      expect(await store.recentSends(d1!.channelId, T0)).toEqual([T0 + 2]);
      expect(await store.recentSends(d1!.channelId, T0 + 3)).toEqual([]);
    });

    it('retries a failed send later, gives up when told, and defers without counting an attempt', async () => {
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      await store.commitFetch(s.id, okState(), [item('k1', ['c1']), item('k2', ['c2'])], T0);
      const [a, b] = await store.pendingDeliveries(T0, 10);
      await store.claimDelivery(a!.id, T0);
      await store.markFailed(a!.id, 'HTTP 502', T0 + 60_000);
      expect(await store.getDelivery(a!.id)).toMatchObject({
        status: 'pending',
        lastError: 'HTTP 502',
        notBefore: T0 + 60_000,
        attempts: 1,
      });
      expect((await store.pendingDeliveries(T0 + 1, 10)).map((d) => d.id)).toEqual([b!.id]);
      await store.claimDelivery(a!.id, T0 + 60_000);
      await store.markFailed(a!.id, 'chat not found', null);
      expect(await store.getDelivery(a!.id)).toMatchObject({ status: 'failed', attempts: 2 });
      await store.deferDelivery(b!.id, T0 + 3_600_000);
      expect(await store.getDelivery(b!.id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        notBefore: T0 + 3_600_000,
      });
      expect(await store.pendingDeliveries(T0 + 3_599_999, 10)).toEqual([]);
    });

    it('holds back a channel behind its oldest pending post, so posts keep their order', async () => {
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      await store.commitFetch(s.id, okState(), [item('k1', ['c1', 'c2']), item('k2', ['c1', 'c2'])], T0);
      const rows = await store.pendingDeliveries(T0, 10);
      expect(rows.map((d) => [d.channelId, (d.message as { title: string }).title])).toEqual([
        ['c1', 'Title k1'],
        ['c2', 'Title k1'],
        ['c1', 'Title k2'],
        ['c2', 'Title k2'],
      ]);
      await store.deferDelivery(rows[0]!.id, T0 + 5000); // c1's first post must wait (a cap, a 429)
      expect(
        (await store.pendingDeliveries(T0 + 1, 10)).map((d) => [d.channelId, (d.message as { title: string }).title]),
      ).toEqual([
        ['c2', 'Title k1'],
        ['c2', 'Title k2'],
      ]);
      expect(
        (await store.pendingDeliveries(T0 + 5000, 10))
          .filter((d) => d.channelId === 'c1')
          .map((d) => (d.message as { title: string }).title),
      ).toEqual(['Title k1', 'Title k2']);
    });

    it('gives a batch at most ten rows per channel, so one backlog does not crowd out the others', async () => {
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      await store.commitFetch(
        s.id,
        okState(),
        Array.from({ length: 15 }, (_, i) => item(`k${String(i).padStart(2, '0')}`, ['busy'])),
        T0,
      );
      await store.commitFetch(s.id, okState(), [item('late', ['quiet'])], T0 + 1);
      const rows = await store.pendingDeliveries(T0 + 1, 100);
      expect(rows.filter((d) => d.channelId === 'busy').map((d) => (d.message as { title: string }).title)).toEqual(
        Array.from({ length: 10 }, (_, i) => `Title k${String(i).padStart(2, '0')}`),
      );
      expect(rows.filter((d) => d.channelId === 'quiet')).toHaveLength(1);
      await store.tryLease('channel', 'busy', 'w', T0, T0 + 30_000);
      await store.tryLease('channel', 'quiet', 'w', T0, T0 + 30_000);
      expect(await store.pendingDeliveries(T0 + 1, 100, 'w')).toHaveLength(11);
    });

    it('keeps held rows in an approval queue until a moderator decides', async () => {
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      await store.commitFetch(s.id, okState(), [item('k1', ['c1'], 'held'), item('k2', ['c2'], 'held')], T0);
      expect(await store.pendingDeliveries(T0 + 1, 10)).toEqual([]);
      expect((await store.heldDeliveries(null, 10)).length).toBe(2);
      const [h1] = await store.heldDeliveries('c1', 10);
      expect(await store.decideDelivery(h1!.id, 'approve', 'mod:alice', T0 + 5)).toBe(true);
      expect(await store.decideDelivery(h1!.id, 'reject', 'mod:bob', T0 + 6)).toBe(false);
      expect(await store.getDelivery(h1!.id)).toMatchObject({ status: 'pending', decidedBy: 'mod:alice' });
      const [h2] = await store.heldDeliveries('c2', 10);
      expect(await store.decideDelivery(h2!.id, 'reject', 'mod:bob', T0 + 6)).toBe(true);
      const stats = await store.stats();
      expect(stats.deliveries).toMatchObject({ pending: 1, rejected: 1, held: 0 });
    });

    it('upserts and removes channels with their rules', async () => {
      await store.upsertChannel(
        { id: 'tg:1', sink: 'telegram', target: '-1001', title: 'One', rules: { tags: ['physics'] } },
        T0,
      );
      await store.upsertChannel(
        { id: 'tg:1', sink: 'telegram', target: '-1001', title: 'Uno', rules: { tags: ['biology'] } },
        T0 + 1,
      );
      expect(await store.listChannels()).toEqual([
        { id: 'tg:1', sink: 'telegram', target: '-1001', title: 'Uno', rules: { tags: ['biology'] }, origin: 'config' },
      ]);
      await store.upsertChannel(
        { id: 'tg:2', sink: 'telegram', target: '-1002', title: 'Two', rules: {}, origin: 'chat' },
        T0,
      );
      expect((await store.listChannels()).map((c) => [c.id, c.origin])).toEqual([
        ['tg:1', 'config'],
        ['tg:2', 'chat'],
      ]);
      expect(await store.removeChannel('tg:1')).toBe(true);
      expect((await store.listChannels()).map((c) => c.id)).toEqual(['tg:2']);
    });

    it('removing a source removes its items and outbox rows', async () => {
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      await store.commitFetch(s.id, okState(), [item('k1', ['c1'])], T0);
      await store.removeSource(s.id);
      const stats = await store.stats();
      expect(stats).toMatchObject({ sources: 0, items: 0 });
      expect(stats.deliveries.pending).toBe(0);
    });

    it('leases due sources to one worker at a time until the fetch is recorded or the lease lapses', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++)
        ids.push((await store.addSource({ url: `https://a.example/${i}`, title: `S${i}` }, T0 + i)).id);
      await store.pauseSource(ids[4]!, 'moderator', T0);
      const a = await store.leaseDueSources('w-a', T0 + 10, T0 + 30_010, 3);
      expect(a.map((s) => s.id)).toEqual(ids.slice(0, 3));
      const b = await store.leaseDueSources('w-b', T0 + 10, T0 + 30_010, 10);
      expect(b.map((s) => s.id)).toEqual([ids[3]]); // the paused one is never leased
      expect(await store.leaseDueSources('w-b', T0 + 20, T0 + 30_020, 10)).toEqual([]);
      expect(await store.sourceLeases(T0 + 20)).toEqual([
        { owner: 'w-a', sources: 3, oldestAt: T0 + 10 },
        { owner: 'w-b', sources: 1, oldestAt: T0 + 10 },
      ]);
      // A recorded fetch ends its lease; the source is leased again only when due again.
      await store.commitFetch(ids[0]!, okState({ nextFetchAt: T0 + 100 }), [], T0 + 30);
      await store.saveFetchState(
        ids[1]!,
        okState({ nextFetchAt: T0 + 100, lastSuccessAt: null, failures: 1, lastError: 'HTTP 500' }),
      );
      expect((await store.leaseDueSources('w-b', T0 + 100, T0 + 30_100, 10)).map((s) => s.id)).toEqual([
        ids[0],
        ids[1],
      ]);
      // w-a beats and keeps ids[2]; w-b does not, its leases lapse and another worker takes them.
      await store.heartbeat({ id: 'w-a', host: 'h', pid: 1, version: 't', startedAt: T0 }, T0 + 20_000, T0 + 50_000);
      expect((await store.leaseDueSources('w-c', T0 + 40_000, T0 + 70_000, 10)).map((s) => s.id)).toEqual([
        ids[3],
        ids[0],
        ids[1],
      ]); // soonest due first
      expect((await store.leaseDueSources('w-c', T0 + 50_000, T0 + 80_000, 10)).map((s) => s.id)).toEqual([ids[2]]);
    });

    it('takes, renews, refuses and releases named leases, and lets them lapse', async () => {
      expect(await store.tryLease('channel', 'c1', 'w-a', T0, T0 + 30_000)).toBe(true);
      expect(await store.tryLease('channel', 'c1', 'w-b', T0 + 1, T0 + 30_001)).toBe(false);
      expect(await store.tryLease('channel', 'c1', 'w-a', T0 + 10_000, T0 + 40_000)).toBe(true); // renewed
      expect(await store.tryLease('role', 'c1', 'w-b', T0 + 1, T0 + 30_001)).toBe(true); // another kind, another lease
      expect(await store.listLeases('channel')).toEqual([
        { kind: 'channel', key: 'c1', owner: 'w-a', until: T0 + 40_000, takenAt: T0 },
      ]);
      expect(await store.tryLease('channel', 'c1', 'w-b', T0 + 40_000, T0 + 70_000)).toBe(true); // lapsed
      expect(await store.listLeases('channel')).toEqual([
        { kind: 'channel', key: 'c1', owner: 'w-b', until: T0 + 70_000, takenAt: T0 + 40_000 },
      ]);
      expect(await store.releaseLease('channel', 'c1', 'w-a')).toBe(false);
      expect(await store.releaseLease('channel', 'c1', 'w-b')).toBe(true);
      expect((await store.listLeases()).map((l) => [l.kind, l.key, l.owner])).toEqual([['role', 'c1', 'w-b']]);
    });

    it('keeps workers with their heartbeats; a beat extends their leases and retiring gives everything back', async () => {
      const w = { id: 'w-a', host: 'box-1', pid: 42, version: '0.1.0', startedAt: T0 };
      await store.heartbeat(w, T0, T0 + 30_000);
      await store.heartbeat({ ...w, id: 'w-b', startedAt: T0 + 5 }, T0 + 5, T0 + 30_005);
      await store.tryLease('channel', 'c1', 'w-a', T0, T0 + 30_000);
      await store.tryLease('role', 'telegram-updates', 'w-a', T0, T0 + 30_000);
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      await store.leaseDueSources('w-a', T0, T0 + 30_000, 10);
      await store.heartbeat(w, T0 + 10_000, T0 + 40_000);
      expect(await store.listWorkers()).toEqual([
        { ...w, heartbeatAt: T0 + 10_000 },
        { ...w, id: 'w-b', startedAt: T0 + 5, heartbeatAt: T0 + 5 },
      ]);
      expect((await store.listLeases()).map((l) => l.until)).toEqual([T0 + 40_000, T0 + 40_000]);
      expect(await store.sourceLeases(T0 + 35_000)).toEqual([{ owner: 'w-a', sources: 1, oldestAt: T0 }]);
      await store.retireWorker('w-a');
      expect((await store.listWorkers()).map((x) => x.id)).toEqual(['w-b']);
      expect(await store.listLeases()).toEqual([]);
      expect((await store.leaseDueSources('w-b', T0 + 11_000, T0 + 41_000, 10)).map((x) => x.id)).toEqual([s.id]);
    });

    it('gives a worker only the rows of channels it holds, and claims them only while it holds them', async () => {
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      await store.commitFetch(s.id, okState(), [item('k1', ['c1', 'c2']), item('k2', ['c1', 'c2'])], T0);
      expect(await store.pendingDeliveries(T0, 10, 'w-a')).toEqual([]);
      await store.tryLease('channel', 'c1', 'w-a', T0, T0 + 30_000);
      await store.tryLease('channel', 'c2', 'w-b', T0, T0 + 30_000);
      const mine = await store.pendingDeliveries(T0, 10, 'w-a');
      expect(mine.map((d) => [d.channelId, (d.message as { title: string }).title])).toEqual([
        ['c1', 'Title k1'],
        ['c1', 'Title k2'],
      ]);
      const theirs = (await store.pendingDeliveries(T0, 10, 'w-b'))[0]!;
      expect(await store.claimDelivery(theirs.id, T0, 'w-a')).toBe(false); // not w-a's channel
      expect(await store.claimDelivery(mine[0]!.id, T0, 'w-a')).toBe(true);
      expect(await store.getDelivery(mine[0]!.id)).toMatchObject({ status: 'sending', attempts: 1, claimedBy: 'w-a' });
      // While c1's head is being sent, nothing behind it goes out.
      expect(await store.pendingDeliveries(T0, 10, 'w-a')).toEqual([]);
      await store.markSent(mine[0]!.id, T0 + 1, 'm1');
      expect((await store.pendingDeliveries(T0 + 1, 10, 'w-a')).map((d) => d.id)).toEqual([mine[1]!.id]);
      // A lapsed lease: the row stays, and the worker can no longer claim it.
      expect(await store.claimDelivery(mine[1]!.id, T0 + 30_000, 'w-a')).toBe(false);
      expect(await store.pendingDeliveries(T0 + 30_000, 10, 'w-a')).toEqual([]);
    });

    it("resolves the in-doubt rows of dead workers once, leaving live workers' sends alone", async () => {
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      await store.commitFetch(s.id, okState(), [item('k1', ['c1']), item('k2', ['c2']), item('k3', ['c3'])], T0);
      await store.heartbeat({ id: 'w-live', host: 'h', pid: 1, version: 't', startedAt: T0 }, T0 + 50_000, T0 + 80_000);
      await store.heartbeat({ id: 'w-dead', host: 'h', pid: 2, version: 't', startedAt: T0 }, T0, T0 + 30_000);
      for (const [c, w] of [
        ['c1', 'w-live'],
        ['c2', 'w-dead'],
        ['c3', 'w-dead'],
      ] as const)
        await store.tryLease('channel', c, w, T0, T0 + 30_000);
      const rows = await store.pendingDeliveries(T0, 10);
      for (const r of rows)
        expect(await store.claimDelivery(r.id, T0, r.channelId === 'c1' ? 'w-live' : 'w-dead')).toBe(true);
      const doubt = await store.inDoubtDeliveries(T0 + 20_000);
      expect(doubt.map((d) => d.channelId)).toEqual(['c2', 'c3']);
      expect((await store.inDoubtDeliveries()).length).toBe(3);
      expect(await store.resolveInDoubt(doubt[0]!.id, 'w-dead', 'resend', 'in doubt', T0 + 60_000)).toBe(true);
      expect(await store.resolveInDoubt(doubt[0]!.id, 'w-dead', 'resend', 'in doubt', T0 + 60_000)).toBe(false); // another worker was first
      expect(await store.resolveInDoubt(doubt[1]!.id, 'w-live', 'skip', 'in doubt', T0 + 60_000)).toBe(false); // not its claimer
      expect(await store.resolveInDoubt(doubt[1]!.id, 'w-dead', 'skip', 'in doubt', T0 + 60_000)).toBe(true);
      expect(await store.getDelivery(doubt[0]!.id)).toMatchObject({
        status: 'pending',
        lastError: 'in doubt',
        notBefore: T0 + 60_000,
        attempts: 1,
      });
      // It may have reached the platform: a new owner's rate limiter counts it at its claim time.
      expect(await store.recentSends('c2', T0)).toEqual([T0]);
      expect(await store.getDelivery(doubt[1]!.id)).toMatchObject({
        status: 'sent',
        lastError: 'in doubt',
        sentAt: T0 + 60_000,
      });
      expect((await store.inDoubtDeliveries(T0 + 20_000)).length).toBe(0);
    });

    it("keeps a config channel's file rules apart from its rules", async () => {
      await store.upsertChannel(
        {
          id: 'c1',
          sink: 'console',
          target: 'x',
          title: 'C',
          rules: { tags: ['a', 'b'] },
          configRules: '{"tags":["a"]}',
        },
        T0,
      );
      const [c] = await store.listChannels();
      expect(c).toEqual({
        id: 'c1',
        sink: 'console',
        target: 'x',
        title: 'C',
        rules: { tags: ['a', 'b'] },
        origin: 'config',
        configRules: '{"tags":["a"]}',
      });
      await store.upsertChannel({ ...c!, rules: { tags: ['b'] } }, T0 + 1); // a moderator's edit keeps the file's version
      expect((await store.listChannels())[0]).toMatchObject({ rules: { tags: ['b'] }, configRules: '{"tags":["a"]}' });
    });

    it('forgets items their feed stopped listing long ago, never one with a post still to go', async () => {
      const DAY = 86_400_000;
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      await store.commitFetch(
        s.id,
        okState(),
        [item('gone', ['c1']), item('listed', ['c1']), item('waiting', ['c1']), item('held', ['c1'], 'held')],
        T0,
      );
      for (const d of await store.pendingDeliveries(T0, 10)) {
        if ((d.message as { title: string }).title === 'Title waiting') continue;
        await store.claimDelivery(d.id, T0);
        await store.markSent(d.id, T0, 'm');
      }
      // A feed answering 304 since: nothing is forgotten, its items were listed when it last changed.
      expect(await store.pruneItems(T0 + 5 * DAY, 100)).toBe(0);
      // Ten days later the feed changes and still lists "listed".
      await store.commitFetch(s.id, okState(), [], T0 + 10 * DAY, ['listed']);
      expect(await store.pruneItems(T0 + 5 * DAY, 100)).toBe(1); // "gone" and its sent row
      expect([...(await store.unseenKeys(s.id, ['gone', 'listed', 'waiting', 'held']))]).toEqual(['gone']);
      expect(await store.stats()).toMatchObject({ items: 3, deliveries: { sent: 1, pending: 1, held: 1 } });
      expect(await store.pruneItems(T0 + 11 * DAY, 100)).toBe(0); // "listed" is in the last parsed copy
      await store.commitFetch(s.id, okState(), [], T0 + 20 * DAY, []); // …and no longer in the next one
      expect(await store.pruneItems(T0 + 11 * DAY, 1)).toBe(1);
      expect(await store.pruneItems(T0 + 11 * DAY, 100)).toBe(0);
      expect((await store.stats()).items).toBe(2);
    });

    it('keeps everything across a reopen, including a claim left in doubt', async () => {
      const s = await store.addSource({ url: 'https://a.example/feed', title: 'S' }, T0);
      await store.commitFetch(s.id, okState(), [item('k1', ['c1'])], T0);
      const [d] = await store.pendingDeliveries(T0, 10);
      await store.claimDelivery(d!.id, T0);
      const again = await h.reopen();
      expect((await again.inDoubtDeliveries()).map((x) => x.id)).toEqual([d!.id]);
      expect(await again.getSource(s.id)).toMatchObject({ etag: '"v1"' });
      expect(await again.schemaVersion()).toBe(LATEST_VERSION);
    });
  });
}
