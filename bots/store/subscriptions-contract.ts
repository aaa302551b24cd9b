import { expect, it } from 'vitest';
import { UNSUBSCRIBED_REASON } from './subscriptions';
import type { Channel, Store } from './types';

const T0 = 1_700_000_000_000;

const channel = (id: string, rules: unknown, over: Partial<Channel> = {}): Channel => ({
  id,
  sink: 'console',
  target: id,
  title: id.toUpperCase(),
  rules,
  ...over,
});

/** Subscriptions of channels to sources (called inside defineStoreContract, with its harness). */
export function defineSubscriptionContract(harness: () => { store: Store }): void {
  const pairs = async (store: Store) =>
    (await store.listSubscriptions()).map((s) => `${s.channelId}>${s.sourceId}${s.pausedReason ? ' (paused)' : ''}`);

  it("subscribes a new channel to what its rules select, and an operator's new source to the channels that select it", async () => {
    const { store } = harness();
    const space = await store.addSource({ url: 'https://space.example/feed', title: 'Space', tags: ['space'] }, T0);
    const bio = await store.addSource({ url: 'https://bio.example/feed', title: 'Bio', tags: ['bio'] }, T0);
    await store.upsertChannel(channel('all', {}), T0);
    await store.upsertChannel(channel('tagged', { tags: ['space'] }), T0);
    await store.upsertChannel(channel('byurl', { sources: ['https://bio.example/feed'] }), T0);
    await store.upsertChannel(channel('byid', { sources: [space.id] }), T0);
    expect(await pairs(store)).toEqual(
      [`all>${space.id}`, `all>${bio.id}`, `byid>${space.id}`, `byurl>${bio.id}`, `tagged>${space.id}`].sort(),
    );
    const more = await store.addSource({ url: 'https://more.example/feed', title: 'More', tags: ['space'] }, T0 + 1);
    expect((await store.listSubscriptions({ sourceId: more.id })).map((s) => s.channelId)).toEqual(['all', 'tagged']);
    // A channel moderator's /add: that channel alone, whatever the others' rules say.
    const own = await store.addSource(
      { url: 'https://own.example/feed', title: 'Own', tags: ['space'] },
      T0 + 2,
      'byid',
    );
    expect(await store.listSubscriptions({ sourceId: own.id })).toEqual([
      { channelId: 'byid', sourceId: own.id, pausedReason: null, pausedAt: null, createdAt: T0 + 2 },
    ]);
    expect((await store.listSubscriptions({ channelId: 'byid' })).map((s) => s.sourceId).sort()).toEqual(
      [space.id, own.id].sort(),
    );
  });

  it("keeps a channel's subscriptions while its selection is unchanged, and starts over from the rules when it changes", async () => {
    const { store } = harness();
    const a = await store.addSource({ url: 'https://a.example/feed', title: 'A', tags: ['x'] }, T0);
    const b = await store.addSource({ url: 'https://b.example/feed', title: 'B', tags: ['y'] }, T0);
    await store.upsertChannel(channel('c', { tags: ['x', 'y'] }), T0);
    await store.upsertChannel(channel('keep', {}), T0); // keeps both sources fetched
    expect(await store.unsubscribe('c', a.id, T0 + 1)).toBe(true);
    expect(await store.unsubscribe('c', a.id, T0 + 1)).toBe(false);
    // A restart with the same rules, a keyword edit, a new title: the moderator's change stays.
    await store.upsertChannel(channel('c', { tags: ['y', 'x'], include: ['star'] }, { title: 'Renamed' }), T0 + 2);
    expect((await store.listSubscriptions({ channelId: 'c' })).map((s) => s.sourceId)).toEqual([b.id]);
    // The file's selection changed: the rules decide again.
    await store.upsertChannel(channel('c', { tags: ['x'] }), T0 + 3);
    expect((await store.listSubscriptions({ channelId: 'c' })).map((s) => s.sourceId)).toEqual([a.id]);
  });

  it('pauses a source nobody receives any more, with the reason, and resumes it when a channel subscribes again', async () => {
    const { store } = harness();
    const lonely = await store.addSource({ url: 'https://lonely.example/feed', title: 'Lonely' }, T0);
    expect((await store.getSource(lonely.id))!.active).toBe(true); // no channel yet: fetched as before
    await store.upsertChannel(channel('one', {}), T0);
    await store.upsertChannel(channel('two', {}), T0);
    await store.saveFetchState(lonely.id, {
      etag: null,
      lastModified: null,
      nextFetchAt: T0 + 900_000,
      lastFetchAt: T0,
      lastSuccessAt: null,
      failures: 2,
      lastError: 'HTTP 503',
    });
    expect(await store.unsubscribe('one', lonely.id, T0 + 1)).toBe(true);
    expect((await store.getSource(lonely.id))!.active).toBe(true); // `two` still receives it
    expect(await store.unsubscribe('two', lonely.id, T0 + 2)).toBe(true);
    expect(await store.getSource(lonely.id)).toMatchObject({
      active: false,
      pausedReason: UNSUBSCRIBED_REASON,
      pausedAt: T0 + 2,
    });
    expect((await store.dueSources(T0 + 10_000_000, 10)).map((s) => s.id)).toEqual([]);
    expect(await store.subscribe('two', lonely.id, T0 + 3)).toBe(true);
    expect(await store.subscribe('two', lonely.id, T0 + 3)).toBe(false);
    // Resumed with its failures and schedule (it was never failing because of this pause).
    expect(await store.getSource(lonely.id)).toMatchObject({
      active: true,
      pausedReason: null,
      failures: 2,
      nextFetchAt: T0 + 3,
    });
  });

  it("pauses one channel's subscription without touching the others'; an operator's pause is not undone by a subscription", async () => {
    const { store } = harness();
    const s = await store.addSource({ url: 'https://s.example/feed', title: 'S' }, T0);
    await store.upsertChannel(channel('one', {}), T0);
    await store.upsertChannel(channel('two', {}), T0);
    expect(await store.pauseSubscription('one', s.id, 'paused by @amy', T0 + 1)).toBe(true);
    expect(await store.pauseSubscription('one', s.id, 'again', T0 + 2)).toBe(false);
    expect(await pairs(store)).toEqual([`one>${s.id} (paused)`, `two>${s.id}`]);
    expect((await store.listSubscriptions({ channelId: 'one' }))[0]).toMatchObject({
      pausedReason: 'paused by @amy',
      pausedAt: T0 + 1,
    });
    expect((await store.getSource(s.id))!.active).toBe(true);
    expect(await store.pauseSubscription('two', s.id, 'paused by @bo', T0 + 3)).toBe(true);
    expect((await store.getSource(s.id))!.pausedReason).toBe(UNSUBSCRIBED_REASON);
    expect(await store.pauseSubscription('one', s.id, null, T0 + 4)).toBe(true);
    expect((await store.getSource(s.id))!.active).toBe(true);
    // An operator paused it for everyone: a channel subscribing or resuming does not resume it.
    expect(await store.pauseSource(s.id, 'operator: broken feed', T0 + 5)).toBe(true);
    expect(await store.pauseSubscription('two', s.id, null, T0 + 6)).toBe(true);
    expect(await store.getSource(s.id)).toMatchObject({ active: false, pausedReason: 'operator: broken feed' });
  });

  it('removing a channel ends its subscriptions and pauses what nobody else receives; removing a source ends its own', async () => {
    const { store } = harness();
    const shared = await store.addSource({ url: 'https://shared.example/feed', title: 'Shared' }, T0);
    const only = await store.addSource({ url: 'https://only.example/feed', title: 'Only' }, T0);
    await store.upsertChannel(channel('one', {}), T0);
    await store.upsertChannel(channel('two', { sources: [shared.id] }), T0);
    expect(await store.removeChannel('one', T0 + 1)).toBe(true);
    expect(await pairs(store)).toEqual([`two>${shared.id}`]);
    expect(await store.getSource(only.id)).toMatchObject({ active: false, pausedReason: UNSUBSCRIBED_REASON });
    expect((await store.getSource(shared.id))!.active).toBe(true);
    expect(await store.removeSource(shared.id)).toBe(true);
    expect(await store.listSubscriptions()).toEqual([]);
  });
}
