import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOwnPostgres, type OwnPostgres } from '../support/embedded-pg';
import { compare, receivedPosts } from './checks';
import { createFleet, type Fleet } from './fleet';

// PostgreSQL restarted under four running workers, on a PostgreSQL of the test's own (embedded,
// its own port: never the machine's server). While the store is gone each worker's /healthz says
// so; once it is back they reconnect, and the items published afterwards reach every destination
// exactly once.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const WORKERS = 4;
let pg: OwnPostgres;
let fleet: Fleet;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What each worker's /healthz answered while the store was down, and once it was back. */
const whileDown: (number | string)[][] = [];
const afterUp: number[] = [];
let downMs = 0;

async function health(port: number): Promise<number | string> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
    return r.status;
  } catch (error) {
    return `no answer (${(error as Error).name})`;
  }
}

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>, explain = () => '') {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${explain()}`);
    await sleep(250);
  }
}

beforeAll(async () => {
  pg = await startOwnPostgres();
  fleet = await createFleet({
    workers: WORKERS,
    sources: 200,
    newEvery: 4,
    destinations: 20,
    leaseSeconds: 5,
    intervalSeconds: 15,
    pgUrl: pg.url,
    http: true,
  });
  await fleet.startWorkers();
  await until('the first poll of every source', 120_000, async () =>
    (await fleet.store.listSources()).every((s) => s.lastSuccessAt !== null),
  );
  // The store goes away for a few seconds, under the four running workers.
  const t0 = Date.now();
  await pg.down();
  for (let i = 0; i < 3; i++) {
    whileDown.push(await Promise.all(fleet.httpPorts.map(health)));
    await sleep(1000);
  }
  await pg.up();
  downMs = Date.now() - t0;
  fleet.publishNewItems();
  const missing = () => compare(fleet.expected, receivedPosts(fleet)).missing;
  await until(
    'every expected post after the restart',
    150_000,
    async () => missing().length === 0,
    () => {
      const m = missing();
      const logs = fleet
        .logs(0)
        .filter((l) => (l.level ?? 0) >= 40)
        .slice(-5);
      return `${m.length} missing (${m.slice(0, 5).join(', ')}); worker 0 said: ${JSON.stringify(logs)}`;
    },
  );
  await sleep(1500); // a late repeat would land now
  afterUp.push(...((await Promise.all(fleet.httpPorts.map(health))) as number[]));
});

afterAll(async () => {
  await fleet?.close();
  await pg?.stop();
});

describe('PostgreSQL restarted under four running workers', () => {
  it('every worker reports unhealthy while the store is gone, and healthy again once it is back', () => {
    console.log(`store down for ${downMs} ms; /healthz while down: ${JSON.stringify(whileDown)}; after: ${afterUp}`);
    // The last probe while down: each worker has noticed (not 200, whatever the exact failure).
    for (const status of whileDown.at(-1)!) expect(status).not.toBe(200);
    expect(afterUp).toEqual(Array(WORKERS).fill(200));
  });

  it('the workers stayed up and reconnected: nothing lost, nothing posted twice', () => {
    fleet.workers.forEach((w, i) =>
      expect(w!.proc.exitCode, `worker ${i} exited; the end of its stderr:\n${w!.stderr().slice(-1500)}`).toBeNull(),
    );
    const result = compare(fleet.expected, receivedPosts(fleet));
    expect(result.missing).toEqual([]);
    expect(result.unexpected).toEqual([]);
    expect(result.repeated).toEqual([]);
    expect(result.distinct).toBeGreaterThan(0);
  });
});
