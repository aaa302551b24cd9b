import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatWorkers, workersView } from '../../bots/cli/workers';
import { parseConfig } from '../../bots/config/config';
import { buildMessage } from '../../shared/message/build';
import { createEngine, type Engine } from '../../bots/engine/engine';
import { createCoordinator, FORGET_AFTER_MS, leaseHoldMs, newWorkerIdentity } from '../../bots/engine/workers';
import { createFetcher } from '../../bots/engine/fetcher';
import { parseFeedText } from '../../bots/engine/parse-feed';
import type { Sink } from '../../bots/engine/sinks/types';
import type { EngineDeps, EngineLogger } from '../../bots/engine/types';
import { engineSettings } from '../../bots/config/engine-settings';
import { createPostgresStore } from '../../bots/store/postgres-store';
import type { Store } from '../../bots/store/types';
import { createTestSchema, type TestSchema } from '../store/postgres';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { createTestClock } from './harness';

// Several engines on one PostgreSQL schema, each with its own pool, as separate `scipop run`
// processes would be. Rounds are driven by hand on a shared test clock, so lease lapses are exact.
const CHANNELS = Array.from({ length: 10 }, (_, i) => `c${i}`);
const ITEMS = 4;
const LEASE_MS = 30_000;
/** How long a worker's leases run past its last beat: its work moves on within LEASE_MS. */
const HOLD_MS = leaseHoldMs(LEASE_MS);

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    title: `Item ${i + 1}`,
    link: `https://news.example/${i + 1}`,
    guid: `g${i + 1}`,
    date: new Date(Date.UTC(2026, 10, 29, 0, i)),
    description: 'A telescope saw a comet.',
  }));
  server.route('/feed', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rssFeed('Feed', items));
  });
});
afterAll(() => server.close());

interface Sent {
  worker: string;
  channel: string;
  title: string;
  inDoubt: boolean;
}

describe('engines sharing one PostgreSQL store', () => {
  let schema: TestSchema;
  const stores: Store[] = [];
  const clock = createTestClock();
  const sent: Sent[] = [];
  const logs: { msg?: string; obj: object }[] = [];

  const config = parseConfig({
    sources: { firstFetchPosts: ITEMS },
    workers: { leaseSeconds: LEASE_MS / 1000 },
    channels: CHANNELS.map((id) => ({ id, sink: 'rec', target: id })),
  });

  async function startWorker(): Promise<{ engine: Engine; store: Store; id: string }> {
    const store = await createPostgresStore(schema.url, { poolSize: 3 });
    stores.push(store);
    let id = '';
    const sink: Sink = {
      name: 'rec',
      idempotent: false,
      async send(target, message, meta) {
        sent.push({ worker: id, channel: target.channelId, title: message.title, inDoubt: meta.inDoubt });
        return { remoteId: `${target.channelId}:${sent.length}` };
      },
      async notify() {},
    };
    const log: EngineLogger = {
      debug: () => undefined,
      info: (obj, msg) => void logs.push({ obj, msg }),
      warn: (obj, msg) => void logs.push({ obj, msg }),
      error: (obj, msg) => void logs.push({ obj, msg }),
    };
    const deps: EngineDeps = {
      store,
      fetcher: createFetcher({ allowPrivateNetworks: true, timeoutMs: 5000 }),
      parse: (text, o) => parseFeedText(text, o),
      sinks: new Map([['rec', sink]]),
      settings: engineSettings(config),
      clock,
      random: () => 0.5,
      log,
    };
    const engine = createEngine(deps);
    id = engine.coordinator.worker.id;
    await engine.init();
    return { engine, store, id };
  }

  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await schema.drop();
  });

  it("splits the destinations between live workers, sends each post once, and a dead worker's share and in-doubt row go to the others within a lease period", async () => {
    schema = await createTestSchema();
    const seed = await createPostgresStore(schema.url, { poolSize: 1 });
    stores.push(seed);
    for (const id of CHANNELS)
      await seed.upsertChannel({ id, sink: 'rec', target: id, title: id, rules: {} }, clock.ms);
    const source = await seed.addSource({ url: server.url('/feed'), title: 'Feed' }, clock.ms);

    const a = await startWorker();
    expect(a.engine.coordinator.liveWorkers()).toBe(1);
    const b = await startWorker();
    expect(b.engine.coordinator.liveWorkers()).toBe(2);
    // A held everything while alone; its next round gives back what is above its share, B takes it.
    clock.advance(1000);
    await a.engine.coordinator.round();
    await b.engine.coordinator.round();
    const owners = async () => {
      const leases = await seed.listLeases('channel');
      return {
        a: leases.filter((l) => l.owner === a.id).map((l) => l.key),
        b: leases.filter((l) => l.owner === b.id).map((l) => l.key),
      };
    };
    const split = await owners();
    expect(split.a).toHaveLength(5);
    expect(split.b).toHaveLength(5);
    expect(new Set([...split.a, ...split.b]).size).toBe(10);

    // A polls (one commit: 4 items × 10 channels) and delivers only its own destinations; B the rest.
    const first = await a.engine.runOnce([source]);
    expect(first).toMatchObject({ newItems: ITEMS, queued: ITEMS * 10 });
    expect(first.delivery.sent).toBe(ITEMS * 5);
    expect((await b.engine.runOnce([])).delivery.sent).toBe(ITEMS * 5);
    expect(sent.every((s) => (s.worker === a.id ? split.a : split.b).includes(s.channel))).toBe(true);
    const keys = sent.map((s) => `${s.channel}|${s.title}`);
    expect(new Set(keys).size).toBe(ITEMS * 10);
    expect(keys).toHaveLength(ITEMS * 10);
    // Each destination got its posts oldest first.
    for (const c of CHANNELS)
      expect(sent.filter((s) => s.channel === c).map((s) => s.title)).toEqual(['Item 1', 'Item 2', 'Item 3', 'Item 4']);

    // `scipop workers` sees both alive with five destinations each.
    const view = await workersView(seed, LEASE_MS, clock.ms);
    expect(view.workers.map((w) => [w.alive, w.channels])).toEqual([
      [true, 5],
      [true, 5],
    ]);
    expect(formatWorkers(view, true)).toMatch(/^2 live workers of 2 known/);

    // A new item; A claims one of its rows and dies before recording the send (kill -9: no retire).
    const message = buildMessage(
      { title: 'Late item', summary: 'Later news.' },
      { title: 'Feed', siteUrl: null, tags: [] },
    );
    await seed.commitFetch(
      source.id,
      {
        etag: null,
        lastModified: null,
        nextFetchAt: clock.ms,
        lastFetchAt: clock.ms,
        lastSuccessAt: clock.ms,
        failures: 0,
        lastError: null,
      },
      [
        {
          key: 'late',
          title: 'Late item',
          link: null,
          publishedAt: null,
          data: {},
          deliveries: CHANNELS.map((channelId) => ({ channelId, status: 'pending' as const, message })),
        },
      ],
      clock.ms,
    );
    const victim = (await a.store.pendingDeliveries(clock.ms, 100, a.id))[0]!;
    expect(await a.store.claimDelivery(victim.id, clock.ms, a.id)).toBe(true);

    // Within the lease period B leaves A's destinations and its row alone…
    clock.advance(HOLD_MS - 1000);
    await b.engine.coordinator.round();
    expect((await owners()).b).toHaveLength(5);
    expect(await seed.getDelivery(victim.id)).toMatchObject({ status: 'sending', claimedBy: a.id });
    // …then takes them all, resolves the in-doubt row, and delivers every late post once: all
    // within one lease period of A's last beat.
    clock.advance(2000);
    expect(HOLD_MS + 1000).toBeLessThan(LEASE_MS);
    const round = await b.engine.coordinator.round();
    expect(round.liveWorkers).toBe(1);
    expect((await owners()).b).toHaveLength(10);
    expect(
      logs.some(
        (l) =>
          l.msg === 'in doubt: the previous run stopped between sending and recording' &&
          (l.obj as { delivery?: string }).delivery === victim.id,
      ),
    ).toBe(true);
    const before = sent.length;
    expect((await b.engine.runOnce([])).delivery.sent).toBe(10);
    const late = sent.slice(before);
    expect(late.every((s) => s.worker === b.id && s.title === 'Late item')).toBe(true);
    expect(new Set(late.map((s) => s.channel)).size).toBe(10);
    expect(late.filter((s) => s.inDoubt).map((s) => s.channel)).toEqual([victim.channelId]);

    // A destination made on another worker (a moderator's command) reaches this one at its next round.
    await seed.upsertChannel(
      { id: 'c10', sink: 'rec', target: 'c10', title: 'c10', rules: {}, origin: 'chat' },
      clock.ms,
    );
    expect(b.engine.channels.get('c10')).toBeUndefined();
    await b.engine.coordinator.round();
    expect(b.engine.channels.get('c10')).toBeDefined();
    await b.engine.coordinator.round();
    expect((await owners()).b).toHaveLength(11);

    // A dead worker is listed for an hour, then forgotten; a clean stop retires the worker at once.
    clock.advance(FORGET_AFTER_MS - LEASE_MS - 5000); // A beat last HOLD_MS + 1 s ago
    await b.engine.coordinator.round();
    expect((await seed.listWorkers()).map((w) => w.id).sort()).toEqual([a.id, b.id].sort());
    clock.advance(LEASE_MS);
    await b.engine.coordinator.round();
    expect((await seed.listWorkers()).map((w) => w.id)).toEqual([b.id]);
    await b.engine.stop();
    expect(await seed.listWorkers()).toEqual([]);
    expect(await seed.listLeases()).toEqual([]);
  });

  it('gives a role to one worker at a time, gives a role that failed to start back to be tried again, and hands it over on stop', async () => {
    schema = await createTestSchema();
    const log: EngineLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (obj, msg) => void logs.push({ obj, msg }),
    };
    const make = async (name: string, failFirst: boolean) => {
      const store = await createPostgresStore(schema.url, { poolSize: 2 });
      stores.push(store);
      const events: string[] = [];
      let fail = failFirst;
      const c = createCoordinator({
        store,
        clock,
        log,
        worker: newWorkerIdentity('t', clock.ms, name),
        leaseMs: LEASE_MS,
      });
      c.holdRole('telegram-updates', {
        onGain: async () => {
          if (fail) {
            fail = false;
            throw new Error('bot.init failed');
          }
          events.push('gain');
        },
        onLose: async () => void events.push('lose'),
      });
      return { c, events, store };
    };
    const a = await make('a', true);
    const b = await make('b', false);
    await a.c.round(); // a takes the role, fails to start it, gives it back
    expect(a.events).toEqual([]);
    expect(logs.some((l) => l.msg === 'could not start the role; giving it back to be tried again')).toBe(true);
    expect(await a.store.listLeases('role')).toEqual([]);
    await b.c.round();
    await a.c.round();
    expect([a.events, b.events]).toEqual([[], ['gain']]);
    clock.advance(1000);
    await b.c.stop(); // a clean stop gives the role back at once
    expect(b.events).toEqual(['gain', 'lose']);
    await a.c.round();
    expect(a.events).toEqual(['gain']);
    expect((await a.store.listLeases('role')).map((l) => l.owner)).toEqual(['a']);
  });
});
