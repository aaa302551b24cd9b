// `npm run bench -- engine-workers`: the engine-cycle work (10,000 sources on 100 loopback hosts,
// the feed host in its own process) done by 1, 2 and 4 `scipop run` processes sharing one
// PostgreSQL store, and by one process on SQLite, for comparison. Each configuration gets a fresh
// store and runs a subscribe cycle (every feed new) and a steady one (every 20th feed has one new
// item, posted to eight console destinations).
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CHANNELS, measureFleet, type CycleFigures, type FleetFigures } from './engine-workers-fleet';
import { firstLine } from './harness';

interface Section {
  title: string;
  rows: Record<string, string | number>[];
  notes?: string[];
}

function row(f: FleetFigures, name: string, c: CycleFigures): Record<string, string | number> {
  const s = c.wallMs / 1000;
  return {
    cycle: name,
    store: f.store,
    workers: f.workers,
    'wall s': s,
    'sources/s': Math.round(c.sources / s),
    'deliveries/s': Math.round(c.deliveries / s),
    'worker CPU s': c.workerCpu,
    'PostgreSQL CPU s': f.store === 'postgres' ? c.postgresCpu : '–',
    'machine busy': `${Math.round(c.machineBusy * 100)} %`,
  };
}

/** Runs every configuration; resolves with the table for the bench runner. */
export async function benchEngineWorkers(
  count = Number(process.env.SCIPOP_BENCH_SOURCES ?? 10_000),
): Promise<Section[]> {
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./engine-cycle-server.ts', import.meta.url))],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const configs = (process.env.SCIPOP_BENCH_WORKERS ?? 'sqlite:1,postgres:1,postgres:2,postgres:4')
    .split(',')
    .map((c) => {
      const [store, workers] = c.split(':');
      return { store: store as 'sqlite' | 'postgres', workers: Number(workers) };
    });
  const results: FleetFigures[] = [];
  try {
    const port = await firstLine(server.stdout!);
    for (const c of configs) {
      process.stderr.write(`engine-workers: ${c.store} × ${c.workers}…\n`);
      results.push(await measureFleet({ ...c, port, count, every: 20 }));
    }
  } finally {
    server.kill();
  }
  const rows = [
    ...results.map((f) => row(f, 'subscribe', f.subscribe)),
    ...results.map((f) => row(f, 'steady', f.steady)),
  ];
  return [
    {
      title: `engine: one poll-and-deliver cycle of ${count.toLocaleString('en')} sources by N worker processes (${cpus().length} cores)`,
      rows,
      notes: [
        'subscribe: every source fetched for the first time (20 items each, recorded, nothing posted); steady: every 20th feed has one new item, the rest answer 304',
        `steady deliveries: each new item to ${CHANNELS} console destinations (stdout to /dev/null), so the figure is the engine's and the store's cost, not a platform's rate limit`,
        'wall: from making every source due (one UPDATE) until every source was polled and every post marked sent; the workers were started and had shared out the destinations before',
        'worker CPU: all worker processes together; PostgreSQL CPU: every postgres process on the machine; machine busy: all cores, every process (the feed host included)',
        'on 2 cores the machine is the limit: with workers, PostgreSQL and the feed host sharing them, more workers add lease, heartbeat and idle-poll queries and win nothing; compare the worker and PostgreSQL CPU columns for where the time goes',
      ],
    },
  ];
}
