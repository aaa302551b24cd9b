import { expect, it } from 'vitest';
import { fetchedAt, type StoreHarness } from './harness';
import type { NewItem } from './types';

const T0 = 1_700_000_000_000;

const item = (key: string, over: Partial<NewItem> = {}): NewItem => ({
  key,
  title: `Item ${key}`,
  link: `https://example.org/${key}`,
  publishedAt: null,
  data: {},
  deliveries: [],
  ...over,
});
const post = (channelId: string, status: 'pending' | 'held' = 'pending') => ({
  channelId,
  status,
  message: { title: channelId },
});

/** The delivery log: outbox rows and the verdicts the engine records with new items, newest first, by channel. */
export function defineDeliveryLogContract(harness: () => StoreHarness): void {
  it('records why an item went to no post, and lists every outcome per channel, newest first', async () => {
    const { store } = harness();
    for (const id of ['c1', 'c2']) await store.upsertChannel({ id, sink: 'x', target: id, title: id, rules: {} }, T0);
    const src = await store.addSource({ url: 'https://feed.example/rss', title: 'Feed' }, T0);
    await store.commitFetch(
      src.id,
      fetchedAt(T0),
      [
        item('a', {
          deliveries: [post('c1')],
          verdicts: [{ channelId: 'c2', outcome: 'filtered', reason: 'no included keyword' }],
        }),
        item('b', { deliveries: [post('c1', 'held'), post('c2')] }),
      ],
      T0,
    );
    await store.commitFetch(
      src.id,
      fetchedAt(T0 + 1000),
      [
        item('c 100%_done', {
          verdicts: [
            { channelId: 'c1', outcome: 'skipped', reason: 'first fetch' },
            { channelId: 'c2', outcome: 'filtered', reason: 'excluded keyword "x"' },
          ],
        }),
        // Seen before: neither its posts nor its verdicts are written again.
        item('a', { verdicts: [{ channelId: 'c1', outcome: 'filtered', reason: 'again' }] }),
      ],
      T0 + 1000,
    );
    const c1 = await store.deliveryLog({ channelIds: ['c1'], offset: 0, limit: 10 });
    // The newest first; the two of the first fetch (the same time) in either order.
    expect(c1.map((e) => [e.title, e.outcome, e.reason])[0]).toEqual(['Item c 100%_done', 'skipped', 'first fetch']);
    expect(
      c1
        .slice(1)
        .map((e) => `${e.title}: ${e.outcome}`)
        .sort(),
    ).toEqual(['Item a: pending', 'Item b: held']);
    expect(c1.every((e) => e.channelId === 'c1' && e.sourceId === src.id)).toBe(true);

    // Outcomes the outbox records: sent (with the message id), rejected (by whom), failed (the error), a cap's note.
    const [a1] = await store.deliveryLog({ channelIds: ['c1'], outcomes: ['pending'], offset: 0, limit: 10 });
    await store.deferDelivery(a1!.id, T0 + 5000, "over the channel's cap of 1 post(s) an hour");
    expect(await store.claimDelivery(a1!.id, T0 + 6000)).toBe(true);
    await store.markSent(a1!.id, T0 + 6000, '-100123:77');
    const held = (await store.heldDeliveries('c1', 10))[0]!;
    await store.decideDelivery(held.id, 'reject', 'telegram:42', T0 + 7000);
    const b2 = (await store.deliveryLog({ channelIds: ['c2'], outcomes: ['pending'], offset: 0, limit: 10 }))[0]!;
    expect(await store.claimDelivery(b2.id, T0 + 6000)).toBe(true);
    await store.markFailed(b2.id, 'Forbidden: bot was kicked', null);

    const all = await store.deliveryLog({ channelIds: null, offset: 0, limit: 10 });
    expect(all).toHaveLength(6);
    const of = (title: string, channelId: string) => all.find((e) => e.title === title && e.channelId === channelId)!;
    expect(of('Item a', 'c1')).toMatchObject({
      outcome: 'sent',
      remoteId: '-100123:77',
      note: "over the channel's cap of 1 post(s) an hour",
      sentAt: T0 + 6000,
      attempts: 1,
      link: 'https://example.org/a',
    });
    expect(of('Item b', 'c1')).toMatchObject({ outcome: 'rejected', decidedBy: 'telegram:42' });
    expect(of('Item b', 'c2')).toMatchObject({ outcome: 'failed', reason: 'Forbidden: bot was kicked' });
    expect(of('Item a', 'c2')).toMatchObject({ outcome: 'filtered', reason: 'no included keyword', createdAt: T0 });

    // Filters: outcomes, words of the title (LIKE's own characters taken literally), pages.
    expect((await store.deliveryLog({ channelIds: null, outcomes: ['filtered'], offset: 0, limit: 10 })).length).toBe(
      2,
    );
    expect(
      (await store.deliveryLog({ channelIds: ['c2'], search: '100%_D', offset: 0, limit: 10 })).map((e) => e.outcome),
    ).toEqual(['filtered']);
    expect(await store.deliveryLog({ channelIds: null, search: '%', offset: 0, limit: 10 })).toHaveLength(2);
    expect(await store.deliveryLog({ channelIds: null, search: 'nothing like it', offset: 0, limit: 10 })).toEqual([]);
    expect(await store.deliveryLog({ channelIds: [], offset: 0, limit: 10 })).toEqual([]);
    const page1 = await store.deliveryLog({ channelIds: null, offset: 0, limit: 4 });
    const page2 = await store.deliveryLog({ channelIds: null, offset: 4, limit: 4 });
    expect(page1).toHaveLength(4);
    expect(page2).toHaveLength(2);
    expect([...page1, ...page2].map((e) => e.id)).toEqual(all.map((e) => e.id));
    // Removing the source forgets its items, and their lines with them.
    await store.removeSource(src.id);
    expect(await store.deliveryLog({ channelIds: null, offset: 0, limit: 10 })).toEqual([]);
  });
}
