// One measured configuration of the engine-workers benchmark: N `scipop run` processes on one
// store, 10,000 sources on the engine-cycle feed host, eight console destinations.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { openStore } from '../../bots/store/open-store';
import { createTestSchema } from '../store/postgres';
import { machineCpu, openProbe, postgresCpu, processCpu, type StoreProbe } from './engine-workers-probe';

const BIN = fileURLToPath(new URL('../../bots/cli/bin.mjs', import.meta.url));
/** Destinations: console sinks, each subscribed to everything, so each new item is CHANNELS posts. */
export const CHANNELS = 8;

/** What one cycle cost. */
export interface CycleFigures {
  wallMs: number;
  sources: number;
  deliveries: number;
  /** CPU seconds of the workers together, of PostgreSQL, and the machine's busy share (1 = every core busy). */
  workerCpu: number;
  postgresCpu: number;
  machineBusy: number;
}

/** The figures of one configuration: the subscribe cycle (first fetch of every source) and the steady one. */
export interface FleetFigures {
  store: 'sqlite' | 'postgres';
  workers: number;
  subscribe: CycleFigures;
  steady: CycleFigures;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(
  what: string,
  timeoutMs: number,
  done: () => Promise<boolean>,
  children: ChildProcess[],
  errors: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (children.some((c) => c.exitCode !== null || c.signalCode !== null))
      throw new Error(`a worker exited while waiting for ${what}:\n${errors()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${errors()}`);
    await sleep(200);
  }
}

/** Runs one configuration end to end: seed, start the workers, a subscribe cycle, a steady cycle. */
export async function measureFleet(o: {
  store: 'sqlite' | 'postgres';
  workers: number;
  port: string;
  count: number;
  every: number;
}): Promise<FleetFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'scipop-bench-workers-'));
  const schema = o.store === 'postgres' ? await createTestSchema() : null;
  const db = schema ? schema.url : join(dir, 'bench.db');
  const children: ChildProcess[] = [];
  let stderr = '';
  let probe: StoreProbe | null = null;
  try {
    // Seeded through the store API, then put off, so the workers start with nothing due.
    const store = await openStore(db);
    for (let i = 0; i < o.count; i++) {
      // 100 loopback hosts, so per-host limits apply as they would across real publishers.
      await store.addSource(
        { url: `http://127.0.0.${1 + (i % 100)}:${o.port}/feed/${i}`, title: `Bench ${i}`, tags: ['astronomy'] },
        0,
      );
    }
    await store.close();
    probe = await openProbe(schema ? { pgUrl: schema.url, schema: schema.schema } : { sqlite: db });
    const FAR = 4_000_000_000_000;
    await probe.exec('UPDATE sources SET next_fetch_at = $1', [FAR]);

    const config = join(dir, 'config.yaml');
    const channels = Array.from({ length: CHANNELS }, (_, i) => ({
      id: `c${i + 1}`,
      sink: 'console',
      target: `bench-${i + 1}`,
    }));
    writeFileSync(
      config,
      stringify({ sources: { seedOpml: null, firstFetchPosts: 0, jitter: 0, defaultIntervalMinutes: 1440 }, channels }),
    );
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SCIPOP_DB: db,
      SCIPOP_ALLOW_PRIVATE_NETWORKS: '1',
      SCIPOP_LOG_LEVEL: 'warn',
    };
    for (let w = 0; w < o.workers; w++) {
      // Posts go to the console sink, whose stdout is /dev/null here: the cost measured is the engine's.
      const child = spawn(process.execPath, [BIN, 'run', '--config', config], {
        cwd: dir,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
      children.push(child);
    }
    const p = probe;
    await waitUntil(
      'the workers to join',
      120_000,
      async () =>
        (await p.count('SELECT COUNT(*) FROM workers WHERE heartbeat_at > $1', [Date.now() - 5000])) >= o.workers,
      children,
      () => stderr,
    );
    await sleep(2000); // let the destinations settle between the workers

    const cycle = async (done: (t0: number) => Promise<boolean>): Promise<CycleFigures> => {
      const cpu0 = children.map((c) => processCpu(c.pid!));
      const pg0 = postgresCpu();
      const m0 = machineCpu();
      const t0 = Date.now();
      await p.exec('UPDATE sources SET next_fetch_at = 0');
      await waitUntil(
        'the cycle to finish',
        600_000,
        () => done(t0),
        children,
        () => stderr,
      );
      const wallMs = Date.now() - t0;
      const m1 = machineCpu();
      return {
        wallMs,
        sources: await p.count('SELECT COUNT(*) FROM sources WHERE last_fetch_at >= $1', [t0]),
        deliveries: await p.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sent_at >= $1", [t0]),
        workerCpu: children.reduce((n, c, i) => n + processCpu(c.pid!) - cpu0[i]!, 0),
        postgresCpu: schema ? postgresCpu() - pg0 : 0,
        machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total),
      };
    };
    const allPolled = async (t0: number) =>
      (await p.count('SELECT COUNT(*) FROM sources WHERE last_fetch_at IS NULL OR last_fetch_at < $1', [t0])) === 0;
    const subscribe = await cycle(allPolled);
    await p.exec('UPDATE sources SET next_fetch_at = $1', [FAR]);
    const bump = await fetch(`http://127.0.0.1:${o.port}/bump?every=${o.every}&total=${o.count}`, { method: 'POST' });
    const expected = Number(await bump.text()) * CHANNELS;
    const steady = await cycle(
      async (t0) =>
        (await allPolled(t0)) &&
        (await p.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sent_at >= $1", [t0])) >= expected,
    );
    return { store: o.store, workers: o.workers, subscribe, steady };
  } finally {
    const stopping = children.map((c) =>
      c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('close', r)) : null,
    );
    for (const c of children) c.kill('SIGTERM');
    const force = setTimeout(() => children.forEach((c) => c.kill('SIGKILL')), 15_000); // a worker that will not stop
    await Promise.all(stopping);
    clearTimeout(force);
    await probe?.close();
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
