import { expect, it } from 'vitest';
import type { StoreHarness } from './harness';
import type { PlatformStateSnapshot } from './platform-types';

const T0 = 1_700_000_000_000;

const snapshot = (over: Partial<PlatformStateSnapshot> = {}): PlatformStateSnapshot => ({
  paused: [],
  journal: [],
  moves: [],
  held: [],
  summaries: [],
  queuePosts: [],
  webhooks: [],
  ...over,
});

/** The platform-state part of the Store contract (called inside defineStoreContract, with its harness). */
export function definePlatformStateContract(harness: () => StoreHarness): void {
  it('pauses a destination once per platform, lists and unpauses it', async () => {
    const { store } = harness();
    expect(await store.pauseDestination('telegram', '-100', 'bot was kicked', T0)).toBe(true);
    expect(await store.pauseDestination('telegram', '-100', 'again', T0 + 5)).toBe(false); // the first reason stays
    expect(await store.pauseDestination('telegram', '-200', 'no rights', T0 + 1)).toBe(true);
    expect(await store.pauseDestination('discord', '-100', 'other platform', T0 + 2)).toBe(true);
    expect(await store.pausedDestination('telegram', '-100')).toEqual({
      destination: '-100',
      reason: 'bot was kicked',
      pausedAt: T0,
    });
    expect((await store.pausedDestinations('telegram')).map((p) => p.destination)).toEqual(['-100', '-200']);
    expect(await store.unpauseDestination('telegram', '-100')).toBe(true);
    expect(await store.unpauseDestination('telegram', '-100')).toBe(false);
    expect(await store.pausedDestination('telegram', '-100')).toBeUndefined();
    expect((await store.pausedDestinations('discord')).map((p) => p.reason)).toEqual(['other platform']);
  });

  it('journals sends, newest first per destination, and prunes old entries', async () => {
    const { store } = harness();
    for (let i = 1; i <= 4; i++)
      await store.journalSend('telegram', {
        deliveryId: `d${i}`,
        destination: i === 4 ? '-200' : '-100',
        messageId: String(10 + i),
        title: `T${i}`,
        sentAt: T0 + i,
      });
    expect(await store.journaledSend('telegram', 'd2')).toEqual({
      deliveryId: 'd2',
      destination: '-100',
      messageId: '12',
      title: 'T2',
      sentAt: T0 + 2,
    });
    expect(await store.journaledSend('discord', 'd2')).toBeUndefined();
    expect((await store.recentJournal('telegram', '-100', 2)).map((e) => e.deliveryId)).toEqual(['d3', 'd2']);
    expect(await store.pruneJournal(T0 + 3)).toBe(2);
    expect((await store.recentJournal('telegram', '-100', 10)).map((e) => e.deliveryId)).toEqual(['d3']);
  });

  it('follows chat moves and hands held rows to one taker', async () => {
    const { store } = harness();
    await store.recordMove('telegram', '-1', '-1001');
    expect(await store.movedTo('telegram', '-1')).toBe('-1001');
    expect(await store.movedTo('telegram', '-1001')).toBeUndefined();
    await store.holdForResume('telegram', 'd1', '-1001');
    await store.holdForResume('telegram', 'd1', '-1001');
    await store.holdForResume('telegram', 'd2', '-1001');
    await store.holdForResume('telegram', 'd3', '-2');
    const [a, b] = await Promise.all([
      store.takeHeldForResume('telegram', '-1001'),
      store.takeHeldForResume('telegram', '-1001'),
    ]);
    expect([...a, ...b].sort()).toEqual(['d1', 'd2']);
    expect(await store.takeHeldForResume('telegram', '-2')).toEqual(['d3']);
  });

  it('keeps a moderator’s edited summary, the latest edit winning', async () => {
    const { store } = harness();
    expect(await store.editedSummary('d1')).toBeUndefined();
    await store.setEditedSummary('d1', 'First words.', 'telegram:1', T0);
    await store.setEditedSummary('d1', 'Better words.', 'telegram:2', T0 + 1);
    expect(await store.editedSummary('d1')).toBe('Better words.');
    expect(await store.editedPost('d1')).toEqual({ summary: 'Better words.', terms: null });
  });

  it('keeps a moderator’s edited summary and key terms; a later summary-only edit keeps the terms', async () => {
    const { store, reopen } = harness();
    expect(await store.editedPost('d2')).toBeUndefined();
    const terms = [{ id: 'exoplanet', term: 'exoplanet', short: 'A planet around another star.', lang: 'en' }];
    await store.setEditedPost('d2', { summary: 'Dashboard words.', terms }, 'dashboard:telegram:1', T0);
    expect(await (await reopen()).editedPost('d2')).toEqual({ summary: 'Dashboard words.', terms });
    await store.setEditedSummary('d2', 'Chat words.', 'telegram:2', T0 + 1);
    expect(await store.editedPost('d2')).toEqual({ summary: 'Chat words.', terms });
    await store.setEditedPost('d2', { summary: 'No terms.', terms: [] }, 'dashboard:telegram:1', T0 + 2);
    expect(await store.editedPost('d2')).toEqual({ summary: 'No terms.', terms: [] });
    expect(await store.editedSummary('d2')).toBe('No terms.');
  });

  it('remembers approval-queue posts until they are closed, oldest first', async () => {
    const { store } = harness();
    await store.recordQueuePost('discord', { deliveryId: 'd2', channelId: 'mods', messageId: 'm2' }, T0 + 2);
    await store.recordQueuePost('discord', { deliveryId: 'd1', channelId: 'mods', messageId: 'm1' }, T0 + 1);
    expect(await store.queuePost('discord', 'd1')).toEqual({ deliveryId: 'd1', channelId: 'mods', messageId: 'm1' });
    expect((await store.openQueuePosts('discord')).map((p) => p.deliveryId)).toEqual(['d1', 'd2']);
    expect(await store.closeQueuePost('discord', 'd1')).toBe(true);
    expect(await store.closeQueuePost('discord', 'd1')).toBe(false);
    expect((await store.openQueuePosts('discord')).map((p) => p.deliveryId)).toEqual(['d2']);
    expect(await store.queuePost('discord', 'd1')).toBeDefined(); // still known: never shown twice
    expect(await store.openQueuePosts('telegram')).toEqual([]);
  });

  it('keeps one webhook per channel: the first stored wins, and only it can be forgotten', async () => {
    const { store } = harness();
    const [a, b] = await Promise.all([
      store.saveWebhook('discord', 'c1', { id: 'h1', token: 't1' }),
      store.saveWebhook('discord', 'c1', { id: 'h2', token: 't2' }),
    ]);
    expect(a).toEqual(b);
    const kept = (await store.webhook('discord', 'c1'))!;
    expect(['h1', 'h2']).toContain(kept.id);
    expect(await store.forgetWebhook('discord', 'c1', kept.id === 'h1' ? 'h2' : 'h1')).toBe(false);
    expect(await store.forgetWebhook('discord', 'c1', kept.id)).toBe(true);
    expect(await store.webhook('discord', 'c1')).toBeUndefined();
  });

  it('imports an old state file once, into an empty store only, and keeps the state across a reopen', async () => {
    const { store } = harness();
    const old = snapshot({
      paused: [{ destination: '-100', reason: 'kicked', pausedAt: T0 }],
      journal: [{ deliveryId: 'd1', destination: '-100', messageId: '7', title: 'T', sentAt: T0 }],
      moves: [{ from: '-1', to: '-100' }],
      held: [{ deliveryId: 'd2', destination: '-100' }],
      summaries: [{ deliveryId: 'd3', summary: 'Edited.', by: 'telegram:1', at: T0 }],
      queuePosts: [
        { deliveryId: 'q2', channelId: 'mods', messageId: 'm2', closed: false },
        { deliveryId: 'q1', channelId: 'mods', messageId: 'm1', closed: true },
        { deliveryId: 'q0', channelId: 'mods', messageId: 'm0', closed: false },
      ],
      webhooks: [{ channelId: 'c1', id: 'h1', token: 't1' }],
    });
    expect(await store.importPlatformState('telegram', old, './data/scipop.telegram.db', T0)).toBe('imported');
    expect(await store.importPlatformState('telegram', old, './data/scipop.telegram.db', T0)).toBe('already');
    await store.unpauseDestination('telegram', '-100');
    expect(await store.importPlatformState('telegram', old, './data/scipop.telegram.db', T0 + 1)).toBe('already'); // never brings a resumed chat back
    await store.pauseDestination('discord', 'c9', 'gone', T0);
    expect(await store.importPlatformState('discord', old, './data/scipop.discord.db', T0)).toBe('not-empty');
    expect(await store.webhook('discord', 'c1')).toBeUndefined();

    const again = await harness().reopen();
    expect(await again.journaledSend('telegram', 'd1')).toMatchObject({ messageId: '7' });
    expect(await again.movedTo('telegram', '-1')).toBe('-100');
    expect(await again.takeHeldForResume('telegram', '-100')).toEqual(['d2']);
    expect(await again.editedSummary('d3')).toBe('Edited.');
    expect((await again.openQueuePosts('telegram')).map((p) => p.deliveryId)).toEqual(['q2', 'q0']); // the file's order
    expect(await again.webhook('telegram', 'c1')).toEqual({ id: 'h1', token: 't1' });
  });
}
