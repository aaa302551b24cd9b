import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { openStore } from '../../bots/store/open-store';
import type { Store } from '../../bots/store/types';
import { startScipop, type Child } from '../engine/child';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/fake-discord';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/server';
import { createTestSchema, type TestSchema } from '../store/postgres';
import { freePort } from '../support/embedded-pg';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { startWorkerProxy, type AnswerHook, type ProxiedCall } from './proxy';
import { expectedDeliveries, fleetDestinations, fleetSources, type FleetDestination, type FleetSource } from './world';

/** The sizes of one fleet run. */
export interface FleetOptions {
  workers: number;
  sources: number;
  /** Every this many sources one gains new items after the first poll. */
  newEvery: number;
  destinations: number;
  leaseSeconds: number;
  /** Seconds between two polls of a source. */
  intervalSeconds: number;
  /** The PostgreSQL server (a URL) to make the schema on, when not the tests' usual one. */
  pgUrl?: string;
  /** Serve /healthz and /metrics from each worker (SCIPOP_HTTP_PORT); the ports are in `httpPorts`. */
  http?: boolean;
}

/** A pino line a worker wrote (stderr, as bots/engine/logger.ts writes them). */
export interface LogLine {
  /** Which worker of the test wrote it (the line's own `worker` field, when present, is its store id). */
  from: number;
  msg?: string;
  level?: number;
  [key: string]: unknown;
}

/** Everything a fleet test drives and inspects. */
export interface Fleet {
  root: string;
  db: TestSchema;
  /** The same store the workers use, opened by the test (seeding, leases, outbox). */
  store: Store;
  feeds: FeedServer;
  tg: FakeTelegram;
  discord: FakeDiscord;
  sources: FleetSource[];
  dests: FleetDestination[];
  /** Destination id → Telegram chat id or Discord channel id, and back. */
  address: Map<string, string>;
  destOf: Map<string, string>;
  expected: Map<string, Set<string>>;
  /** Every platform request of every worker, in answer order. */
  calls: ProxiedCall[];
  workers: (Child | null)[];
  /** Each worker's /healthz and /metrics port, when `http` was asked for. */
  httpPorts: number[];
  /** Makes the new items visible on the feeds (the test calls it once every source's first poll is recorded). */
  publishNewItems(): void;
  startWorkers(): Promise<void>;
  logs(worker: number): LogLine[];
  /** Replaces the hook every proxy passes answers through (default: pass at once). */
  setAnswerHook(hook: AnswerHook): void;
  close(): Promise<void>;
}

/** Telegram groups get ids -1001000000000 - slot; Discord channels the fake's snowflakes. */
const chatIdOf = (slot: number) => String(-1001000000000 - slot);

/** Builds the world: PostgreSQL schema seeded with the sources, the feed server, both fakes, a proxy per worker and platform. */
export async function createFleet(o: FleetOptions): Promise<Fleet> {
  // Undone in reverse order by close(), or at once if building the world fails half-way.
  const closers: (() => Promise<unknown> | void)[] = [];
  const root = mkdtempSync(join(tmpdir(), 'scipop-fleet-'));
  closers.push(() => rmSync(root, { recursive: true, force: true }));
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await Promise.resolve(close()).catch(() => undefined);
  };
  try {
    return await build(o, root, closers, closeAll);
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function build(
  o: FleetOptions,
  root: string,
  closers: (() => Promise<unknown> | void)[],
  closeAll: () => Promise<void>,
): Promise<Fleet> {
  const db = await createTestSchema(o.pgUrl);
  closers.push(() => db.drop());
  const feeds = await startFeedServer();
  closers.push(() => feeds.close());
  const sources = fleetSources(o.sources, o.newEvery);
  let published = false;
  for (const s of sources) {
    feeds.route(s.path, (req, res) => {
      const items = published ? [...s.newItems, ...s.oldItems] : s.oldItems;
      const etag = `"${s.index}-${items.length}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag });
      res.end(rssFeed(s.title, items));
    });
  }
  const dests = fleetDestinations(o.destinations, sources, feeds.url);
  const expected = expectedDeliveries(dests, sources, feeds.url);

  // Production limits on both fakes: the point is that four workers together keep to them.
  const tg = await startFakeTelegram();
  closers.push(() => tg.close());
  const discord = await startFakeDiscord({ heartbeatMs: 1000 });
  closers.push(() => discord.close());
  const guild = discord.addGuild('Fleet');
  const address = new Map<string, string>();
  for (const d of dests) {
    if (d.platform === 'telegram') {
      const id = chatIdOf(d.slot);
      tg.addChat({ id: Number(id), type: 'supergroup', title: `Fleet group ${d.slot}` });
      address.set(d.id, id);
    } else address.set(d.id, discord.addChannel(guild, { name: `fleet-${d.slot}` }).id);
  }
  const destOf = new Map([...address].map(([k, v]) => [v, k]));

  const store = await openStore(db.url);
  closers.push(() => store.close());
  for (const s of sources)
    await store.addSource({ url: feeds.url(s.path), title: s.title, tags: [s.tag], trusted: true }, Date.now());

  const config = join(root, 'config.yaml');
  writeFileSync(
    config,
    stringify({
      sources: {
        seedOpml: null,
        firstFetchPosts: 0,
        jitter: 0,
        defaultIntervalMinutes: o.intervalSeconds / 60,
        minIntervalMinutes: o.intervalSeconds / 60,
      },
      // All sources live on one loopback host; real fleets poll many hosts at once.
      fetch: { perHostConcurrency: 16 },
      delivery: { inDoubt: 'resend' },
      workers: { leaseSeconds: o.leaseSeconds },
      channels: dests.map((d) => ({
        id: d.id,
        sink: d.platform,
        target: address.get(d.id)!,
        title: d.id,
        rules: d.rules,
      })),
    }),
  );

  const calls: ProxiedCall[] = [];
  let hook: AnswerHook = () => undefined;
  const workers: (Child | null)[] = [];
  const envs: Record<string, string>[] = [];
  const httpPorts: number[] = [];
  for (let w = 0; w < o.workers; w++) {
    const record: AnswerHook = (call) => {
      calls.push(call);
      return hook(call);
    };
    const tgProxy = await startWorkerProxy(w, 'telegram', tg.apiRoot, record);
    const dcProxy = await startWorkerProxy(w, 'discord', discord.apiBase.replace(/\/api$/, ''), record);
    closers.push(
      () => tgProxy.close(),
      () => dcProxy.close(),
    );
    envs.push({
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tgProxy.url,
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_API_BASE: `${dcProxy.url}/api`,
      SCIPOP_DB: db.url,
      SCIPOP_ALLOW_PRIVATE_NETWORKS: '1',
      SCIPOP_LOG_LEVEL: 'info',
    });
    if (o.http) {
      httpPorts.push(await freePort());
      envs[w]!.SCIPOP_HTTP_PORT = String(httpPorts[w]);
    }
  }

  // Every worker is killed first, even when the test failed half-way.
  closers.push(async () => {
    for (const c of workers) if (c && c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await Promise.all(workers.map((c) => c?.exited));
  });

  const parsed = new Map<number, { seen: number; lines: LogLine[] }>();
  return {
    root,
    db,
    store,
    feeds,
    tg,
    discord,
    sources,
    dests,
    address,
    destOf,
    expected,
    calls,
    workers,
    httpPorts,
    publishNewItems: () => void (published = true),
    async startWorkers() {
      for (let w = 0; w < o.workers; w++) {
        // Each worker has a directory of its own, as on its own machine: they share only the store.
        const cwd = join(root, `worker-${w}`);
        mkdirSync(cwd, { recursive: true });
        workers[w] = startScipop(['run', '--config', config], envs[w]!, cwd);
      }
      await Promise.all(workers.map((c, w) => waitForLog(c!, '"msg":"running"', 90_000, `worker ${w} to start`)));
    },
    logs(worker) {
      const child = workers[worker];
      if (!child) return [];
      const entry = parsed.get(worker) ?? { seen: 0, lines: [] };
      parsed.set(worker, entry);
      const text = child.stderr() + '\n' + child.stdout();
      // Re-parse only when new output arrived; both streams, in case the logger moves to stdout.
      if (text.length !== entry.seen) {
        entry.seen = text.length;
        entry.lines = text.split('\n').flatMap((l) => {
          if (!l.startsWith('{')) return [];
          try {
            return [{ ...(JSON.parse(l) as object), from: worker }];
          } catch {
            return [];
          }
        });
      }
      return entry.lines;
    },
    setAnswerHook: (h) => void (hook = h),
    close: closeAll,
  };
}

/** Resolves when the child's stderr contains `text`; rejects with its output if it exits first or time runs out. */
export function waitForLog(child: Child, text: string, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearInterval(timer);
      if (error) reject(error);
      else resolve();
    };
    const started = Date.now();
    const timer = setInterval(() => {
      if (child.stderr().includes(text)) return done();
      if (child.proc.exitCode !== null || child.proc.signalCode !== null)
        return done(new Error(`exited while waiting for ${what}:\n${child.stderr().slice(-2000)}`));
      if (Date.now() - started > timeoutMs)
        done(new Error(`timed out waiting for ${what}:\n${child.stderr().slice(-2000)}`));
    }, 50);
  });
}
