import { expect, it } from 'vitest';
import { fetchedAt } from './harness';
import type { NewItem, Store } from './types';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

const item = (key: string, deliveries: NewItem['deliveries']): NewItem => ({
  key,
  title: `Title ${key}`,
  link: `https://example.org/${key}`,
  publishedAt: T0,
  data: { key },
  deliveries,
});

/** Digests (called inside defineStoreContract, with its harness). */
export function defineDigestContract(harness: () => { store: Store }): void {
  const setup = async (store: Store) => {
    const s = await store.addSource({ url: 'https://a.example/feed', title: 'A' }, T0);
    for (const id of ['daily', 'other'])
      await store.upsertChannel(
        {
          id,
          sink: 'console',
          target: id,
          title: id,
          rules: {},
          ...(id === 'daily' ? { digest: { at: '08:00', timezone: 'Asia/Shanghai' } } : {}),
        },
        T0,
      );
    return s;
  };

  it("keeps a channel's digest settings", async () => {
    const { store } = harness();
    await setup(store);
    const byId = new Map((await store.listChannels()).map((c) => [c.id, c]));
    expect(byId.get('daily')?.digest).toEqual({ at: '08:00', timezone: 'Asia/Shanghai' });
    expect(byId.get('other')?.digest).toBeUndefined();
  });

  it("keeps a channel's language and the one its config file gave, and clears them when told", async () => {
    const { store } = harness();
    await setup(store);
    const byId = async () => new Map((await store.listChannels()).map((c) => [c.id, c]));
    expect((await byId()).get('daily')?.lang).toBeUndefined();
    const daily = (await byId()).get('daily')!;
    await store.upsertChannel({ ...daily, lang: 'zh-Hans', configLang: 'en' }, T0 + 1);
    expect((await byId()).get('daily')).toMatchObject({ lang: 'zh-Hans', configLang: 'en' });
    // Another channel's edit leaves it alone; an edit that spreads the channel keeps it.
    await store.upsertChannel({ ...(await byId()).get('daily')!, title: 'Daily' }, T0 + 2);
    expect((await byId()).get('daily')).toMatchObject({ title: 'Daily', lang: 'zh-Hans', configLang: 'en' });
    expect((await byId()).get('other')?.lang).toBeUndefined();
    const { lang: _l, configLang: _c, ...bare } = (await byId()).get('daily')!;
    await store.upsertChannel(bare, T0 + 3);
    expect((await byId()).get('daily')?.lang).toBeUndefined();
    expect((await byId()).get('daily')?.configLang).toBeUndefined();
  });

  it('gives a digest the posts its channel got in the window, kept-for-digest ones too, never held or other channels’', async () => {
    const { store } = harness();
    const s = await setup(store);
    const at = (h: number) => T0 + h * HOUR;
    await store.commitFetch(
      s.id,
      fetchedAt(at(1)),
      [item('early', [{ channelId: 'daily', status: 'pending', message: { n: 'early' } }])],
      at(1),
    );
    await store.commitFetch(
      s.id,
      fetchedAt(at(2)),
      [
        item('kept', [
          { channelId: 'daily', status: 'digest', message: { n: 'kept' } },
          { channelId: 'other', status: 'pending', message: { n: 'other' } },
        ]),
        item('held', [{ channelId: 'daily', status: 'held', message: { n: 'held' } }]),
        item('live', [{ channelId: 'daily', status: 'pending', message: { n: 'live' } }]),
      ],
      at(2),
    );
    await store.commitFetch(
      s.id,
      fetchedAt(at(5)),
      [item('late', [{ channelId: 'daily', status: 'pending', message: { n: 'late' } }])],
      at(5),
    );
    const rows = await store.digestCandidates('daily', at(1), at(4), 100);
    expect(rows.map((r) => (r.message as { n: string }).n)).toEqual(['live', 'kept']);
    expect(rows.every((r) => r.itemId !== null && r.channelId === 'daily')).toBe(true);
    // A post kept for the digest is never sent alone.
    const pending = await store.pendingDeliveries(at(10), 100);
    expect(pending.map((r) => (r.message as { n: string }).n).sort()).toEqual(['early', 'late', 'live', 'other']);
    expect((await store.stats()).deliveries).toMatchObject({ digest: 1, held: 1, pending: 4 });
  });

  it('records a digest once per channel and time, its parts pending in order; a second commit writes nothing', async () => {
    const { store } = harness();
    await setup(store);
    const slot = T0 + 8 * HOUR;
    const digest = { channelId: 'daily', slotAt: slot, sinceAt: null, stories: 12, late: false };
    // Six parts: a batch takes at most ten rows per channel.
    const parts = Array.from({ length: 6 }, (_, i) => ({ part: i + 1 }));
    // Two workers at the same minute: one wins, whichever it is.
    const results = await Promise.all([
      store.commitDigest({ ...digest, parts }, slot),
      store.commitDigest({ ...digest, parts: [{ part: 'other' }] }, slot),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? parts : [{ part: 'other' }];
    const rows = await store.pendingDeliveries(slot, 100);
    expect(rows.map((r) => r.message)).toEqual(winner);
    expect(rows.every((r) => r.itemId === null && r.channelId === 'daily' && r.status === 'pending')).toBe(true);
    expect(await store.commitDigest({ ...digest, parts }, slot + 60_000)).toBe(false);
    expect(await store.pendingDeliveries(slot + 60_000, 100)).toHaveLength(winner.length);
    expect(await store.lastDigest('daily')).toEqual({
      channelId: 'daily',
      slotAt: slot,
      sinceAt: null,
      createdAt: slot,
      parts: winner.length,
      stories: 12,
      late: false,
    });
    expect(await store.lastDigest('other')).toBeUndefined();
    // The next day's digest is a new one, and a digest's parts are never material for the next.
    expect(
      await store.commitDigest(
        { ...digest, slotAt: slot + 24 * HOUR, sinceAt: slot, late: true, parts },
        slot + 25 * HOUR,
      ),
    ).toBe(true);
    expect(await store.lastDigest('daily')).toMatchObject({ slotAt: slot + 24 * HOUR, sinceAt: slot, late: true });
    expect(await store.digestCandidates('daily', 0, slot + 30 * HOUR, 100)).toEqual([]);
  });
}
