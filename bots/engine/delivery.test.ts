import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMessage } from '../../shared/message/build';
import { createSqliteStore } from '../store/sqlite-store';
import type { Store } from '../store/types';
import { compileChannels } from './channels';
import { deliverPending, recoverInDoubt, retryDelayMs } from './delivery';
import { SinkError, type Sink } from './sinks/types';
import type { ChannelRegistry, DeliveryDeps, EngineSettings } from './types';

const T0 = Date.parse('2026-11-29T12:00:00Z');
const settings: EngineSettings = {
  schedule: {
    defaultIntervalMinutes: 10,
    minIntervalMinutes: 2,
    maxIntervalMinutes: 60,
    jitter: 0,
    maxBackoffMinutes: 60,
    pauseAfterFailures: 5,
  },
  firstFetchPosts: 0,
  maxTerms: 3,
  concurrency: 4,
  channelConcurrency: 4,
  maxAttempts: 3,
  inDoubt: 'resend',
  leaseMs: 30_000,
  forgetItemsAfterMs: 0,
};

/** A platform that fails the way platforms do, scripted per call. */
function scriptedSink(script: (n: number) => Error | null): Sink & { sent: string[] } {
  let n = 0;
  const sent: string[] = [];
  return {
    name: 'fakeplatform',
    idempotent: false,
    sent,
    async send(_target, message, meta) {
      const error = script(n++);
      if (error) throw error;
      sent.push(`${message.title}${meta.inDoubt ? ' (in doubt)' : ''}`);
      return { remoteId: `m${n}` };
    },
    async notify() {},
  };
}

describe('delivery', () => {
  let store: Store;
  let now: number;
  const deps = (sink: Sink, over: Partial<EngineSettings> = {}): DeliveryDeps => ({
    store,
    sinks: new Map([[sink.name, sink]]),
    settings: { ...settings, ...over },
    clock: { now: () => new Date(now) },
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const registry = async (): Promise<ChannelRegistry> => {
    const list = compileChannels(await store.listChannels(), () => {});
    return { list: () => list, get: (id) => list.find((c) => c.channel.id === id) };
  };

  beforeEach(async () => {
    now = T0;
    store = createSqliteStore(':memory:');
    await store.upsertChannel({ id: 'ch', sink: 'fakeplatform', target: '42', title: 'Ch', rules: {} }, T0);
    const s = await store.addSource({ url: 'https://a.example/feed', title: 'A' }, T0);
    const state = {
      etag: null,
      lastModified: null,
      nextFetchAt: T0,
      lastFetchAt: T0,
      lastSuccessAt: T0,
      failures: 0,
      lastError: null,
    };
    const items = ['one', 'two'].map((title) => ({
      key: title,
      title,
      link: null,
      publishedAt: null,
      data: {},
      deliveries: [
        {
          channelId: 'ch',
          status: 'pending' as const,
          message: buildMessage({ title, summary: '' }, { title: 'A', tags: [] }),
        },
      ],
    }));
    await store.commitFetch(s.id, state, items, T0);
  });
  afterEach(async () => {
    await store.close();
  });

  it('sends in order and records the platform message id', async () => {
    const sink = scriptedSink(() => null);
    expect(await deliverPending(deps(sink), await registry())).toEqual({ sent: 2, retried: 0, failed: 0, deferred: 0 });
    expect(sink.sent).toEqual(['one', 'two']);
    expect((await store.stats()).deliveries.sent).toBe(2);
  });

  it('puts a post over the channel’s cap off and says so in the delivery log, then sends it', async () => {
    await store.upsertChannel(
      { id: 'ch', sink: 'fakeplatform', target: '42', title: 'Ch', rules: { caps: { perHour: 1 } } },
      T0,
    );
    const sink = scriptedSink(() => null);
    expect(await deliverPending(deps(sink), await registry())).toEqual({ sent: 1, retried: 0, failed: 0, deferred: 1 });
    const log = await store.deliveryLog({ channelIds: ['ch'], offset: 0, limit: 10 });
    expect(log.find((e) => e.title === 'two')).toMatchObject({
      outcome: 'pending',
      note: "over the channel's cap of 1 post(s) an hour",
    });
    now = T0 + 2 * 3_600_000;
    expect(await deliverPending(deps(sink), await registry())).toMatchObject({ sent: 1 });
    expect(sink.sent).toEqual(['one', 'two']);
    const after = await store.deliveryLog({ channelIds: ['ch'], outcomes: ['sent'], offset: 0, limit: 10 });
    expect(after.find((e) => e.title === 'two')!.note).toBe("over the channel's cap of 1 post(s) an hour");
  });

  it('retries a retryable failure after the platform’s wait, holding the channel’s later posts back, and gives up after maxAttempts', async () => {
    const sink = scriptedSink((n) =>
      n < 2 ? new SinkError('429: Too Many Requests: retry after 90', true, 90_000) : null,
    );
    const d = deps(sink);
    expect(await deliverPending(d, await registry())).toEqual({ sent: 0, retried: 1, failed: 0, deferred: 0 });
    expect(await store.pendingDeliveries(T0 + 89_999, 10)).toEqual([]); // "two" waits behind "one"
    const [row] = await store.pendingDeliveries(T0 + 90_000, 10);
    expect(row).toMatchObject({
      attempts: 1,
      notBefore: T0 + 90_000,
      lastError: '429: Too Many Requests: retry after 90',
    });
    now = T0 + 90_000;
    expect(await deliverPending(d, await registry())).toMatchObject({ retried: 1, sent: 0 });
    now = T0 + 10 * 60_000;
    expect(await deliverPending(d, await registry())).toMatchObject({ sent: 2 });
    expect(sink.sent).toEqual(['one', 'two']);

    const failing = scriptedSink(() => new Error('socket hang up'));
    await store.upsertChannel({ id: 'ch', sink: 'fakeplatform', target: '42', title: 'Ch', rules: {} }, T0);
    const s2 = await store.addSource({ url: 'https://b.example/feed', title: 'B' }, T0);
    await store.commitFetch(
      s2.id,
      {
        etag: null,
        lastModified: null,
        nextFetchAt: T0,
        lastFetchAt: T0,
        lastSuccessAt: T0,
        failures: 0,
        lastError: null,
      },
      [
        {
          key: 'k',
          title: 't',
          link: null,
          publishedAt: null,
          data: {},
          deliveries: [
            {
              channelId: 'ch',
              status: 'pending',
              message: buildMessage({ title: 'three', summary: '' }, { title: 'B', tags: [] }),
            },
          ],
        },
      ],
      now,
    );
    const d2 = deps(failing);
    for (let i = 0; i < 3; i++) {
      await deliverPending(d2, await registry());
      now += 60 * 60_000;
    }
    expect((await store.stats()).deliveries).toMatchObject({ failed: 1, pending: 0 });
  });

  it('serves destinations side by side: one waiting chat does not hold up the others', async () => {
    await store.upsertChannel({ id: 'other', sink: 'fakeplatform', target: '43', title: 'Other', rules: {} }, T0);
    const s2 = await store.addSource({ url: 'https://c.example/feed', title: 'C' }, T0);
    const state = {
      etag: null,
      lastModified: null,
      nextFetchAt: T0,
      lastFetchAt: T0,
      lastSuccessAt: T0,
      failures: 0,
      lastError: null,
    };
    const msg = (title: string) => buildMessage({ title, summary: '' }, { title: 'C', tags: [] });
    await store.commitFetch(
      s2.id,
      state,
      ['x1', 'x2', 'x3'].map((t) => ({
        key: t,
        title: t,
        link: null,
        publishedAt: null,
        data: {},
        deliveries: [{ channelId: 'other', status: 'pending' as const, message: msg(t) }],
      })),
      T0,
    );
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const sink: Sink = {
      name: 'fakeplatform',
      idempotent: false,
      async send(target, message) {
        if (target.channelId === 'ch') await gate; // this chat is throttled until the other one is done
        order.push(`${target.channelId}:${message.title}`);
        if (message.title === 'x3') release();
        return { remoteId: null };
      },
      async notify() {},
    };
    expect(await deliverPending(deps(sink), await registry())).toMatchObject({ sent: 5 });
    expect(order).toEqual(['other:x1', 'other:x2', 'other:x3', 'ch:one', 'ch:two']);
  });

  it('marks a permanent failure failed at once', async () => {
    const sink = scriptedSink(() => new SinkError('403: Forbidden: bot was kicked from the group chat', false));
    expect(await deliverPending(deps(sink), await registry())).toMatchObject({ failed: 2 });
    expect((await store.stats()).deliveries.failed).toBe(2);
  });

  it('keeps rows for a platform not configured in this run, and fails rows of a removed channel', async () => {
    const other = { ...scriptedSink(() => null), name: 'other' };
    expect(await deliverPending(deps(other), await registry())).toMatchObject({ deferred: 1 }); // the second waits behind the first
    expect((await store.stats()).deliveries.pending).toBe(2);
    await store.removeChannel('ch');
    now = T0 + 2 * 3_600_000;
    expect(await deliverPending(deps(other), await registry())).toMatchObject({ failed: 2 });
  });

  it('resolves rows left in doubt: resend sends them again, flagged', async () => {
    const [a] = await store.pendingDeliveries(T0, 10);
    await store.claimDelivery(a!.id, T0);
    const sink = scriptedSink(() => null);
    expect(await recoverInDoubt(deps(sink), await registry(), T0)).toBe(1);
    await deliverPending(deps(sink), await registry());
    expect(sink.sent).toEqual(['one (in doubt)', 'two']);
  });

  it('leaves the sends of a live worker alone and resolves them once that worker is dead', async () => {
    const [a] = await store.pendingDeliveries(T0, 10);
    await store.heartbeat({ id: 'w-1', host: 'h', pid: 1, version: 't', startedAt: T0 }, T0, T0 + 30_000);
    await store.tryLease('channel', a!.channelId, 'w-1', T0, T0 + 30_000);
    expect(await store.claimDelivery(a!.id, T0, 'w-1')).toBe(true);
    const sink = scriptedSink(() => null);
    expect(await recoverInDoubt(deps(sink), await registry(), T0 - 30_000)).toBe(0); // w-1 beat at T0: alive
    expect(await store.getDelivery(a!.id)).toMatchObject({ status: 'sending', claimedBy: 'w-1' });
    expect(await recoverInDoubt(deps(sink), await registry(), T0 + 1)).toBe(1); // no beat since T0: dead
    expect(await recoverInDoubt(deps(sink), await registry(), T0 + 1)).toBe(0); // already resolved
    expect(await store.getDelivery(a!.id)).toMatchObject({ status: 'pending', claimedBy: null });
  });

  it('resolves rows left in doubt: skip records them as sent without sending', async () => {
    const [a] = await store.pendingDeliveries(T0, 10);
    await store.claimDelivery(a!.id, T0);
    const sink = scriptedSink(() => null);
    expect(await recoverInDoubt(deps(sink, { inDoubt: 'skip' }), await registry(), T0)).toBe(1);
    expect(await store.getDelivery(a!.id)).toMatchObject({ status: 'sent', remoteId: null });
    await deliverPending(deps(sink), await registry());
    expect(sink.sent).toEqual(['two']);
  });

  it('serves a destination that posts arrive for mid-pass while another waits on its platform', async () => {
    // "ch" is throttled: its send waits until "other" has posted. A pass that served destinations
    // batch by batch would wait forever here (the test would time out).
    await store.upsertChannel({ id: 'other', sink: 'fakeplatform', target: '43', title: 'Other', rules: {} }, T0);
    let otherPosted!: () => void;
    const posted = new Promise<void>((resolve) => (otherPosted = resolve));
    const order: string[] = [];
    const sink: Sink = {
      name: 'fakeplatform',
      idempotent: false,
      async send(target, message) {
        if (target.channelId === 'ch') await posted;
        order.push(`${target.channelId}:${message.title}`);
        if (target.channelId === 'other') otherPosted();
        return { remoteId: String(order.length) };
      },
      async notify() {},
    };
    const pass = deliverPending(deps(sink), await registry());
    await new Promise((r) => setTimeout(r, 50)); // the pass is waiting on "ch"
    const s = (await store.listSources())[0]!;
    const state = {
      etag: null,
      lastModified: null,
      nextFetchAt: T0,
      lastFetchAt: T0,
      lastSuccessAt: T0,
      failures: 0,
      lastError: null,
    };
    await store.commitFetch(
      s.id,
      state,
      [
        {
          key: 'late',
          title: 'late',
          link: null,
          publishedAt: null,
          data: {},
          deliveries: [
            {
              channelId: 'other',
              status: 'pending',
              message: buildMessage({ title: 'late', summary: '' }, { title: 'A', tags: [] }),
            },
          ],
        },
      ],
      T0,
    );
    expect(await pass).toMatchObject({ sent: 3 });
    expect(order).toEqual(['other:late', 'ch:one', 'ch:two']);
  });

  it('backs off 30 s doubling, capped at an hour, never shorter than the platform asks', () => {
    expect([1, 2, 3, 10].map((n) => retryDelayMs(n))).toEqual([30_000, 60_000, 120_000, 3_600_000]);
    expect(retryDelayMs(1, 300_000)).toBe(300_000);
  });
});
