// `npm run bench engine-cycle`: one poll cycle of 10,000 sources served by a local host. The feed
// host and the engine run as separate processes, so wall time, CPU time and peak memory are the
// engine's own.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { firstLine } from './harness';

interface Section {
  title: string;
  rows: Record<string, string | number>[];
  notes?: string[];
}

interface CycleResult {
  name: string;
  wallMs: number;
  cpuMs: number;
  peakRssMB: number;
  polled: number;
  ok: number;
  notModified: number;
  errors: number;
  newItems: number;
  delivery: { sent: number };
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

function startNode(file: string, args: string[]) {
  return spawn(process.execPath, ['--expose-gc', '--import', 'tsx', here(file), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Runs the cycle benchmark for `count` sources; resolves with table rows for the bench runner. */
export async function benchEngineCycle(count = Number(process.env.SCIPOP_BENCH_SOURCES ?? 10_000)): Promise<Section[]> {
  const server = startNode('./engine-cycle-server.ts', []);
  try {
    const port = await firstLine(server.stdout);
    const worker = startNode('./engine-cycle-worker.ts', [port, String(count), '20']);
    const result = JSON.parse(await firstLine(worker.stdout)) as {
      count: number;
      bumped: number;
      cycles: CycleResult[];
      window: { n: number; medianUs: number; p99Us: number };
      maxRssMB: number;
    };
    const rows = result.cycles.map((c) => ({
      cycle: c.name,
      sources: c.polled,
      '200s': c.ok,
      '304s': c.notModified,
      errors: c.errors,
      'new items': c.newItems,
      posts: c.delivery.sent,
      'wall s': c.wallMs / 1000,
      'CPU s': c.cpuMs / 1000,
      'peak RSS MB': c.peakRssMB,
    }));
    const steady = result.cycles[1]!;
    return [
      {
        title: `engine: one poll cycle of ${result.count.toLocaleString('en')} sources on a local host (separate process)`,
        rows,
        notes: [
          `target: the steady cycle within 60 s and under 300 MB — ${steady.wallMs / 1000 <= 60 && steady.peakRssMB < 300 ? 'met' : 'NOT met'} (${(steady.wallMs / 1000).toFixed(1)} s, ${steady.peakRssMB.toFixed(0)} MB); process peak RSS over both cycles ${result.maxRssMB.toFixed(0)} MB`,
          `steady cycle: every 20th feed (${result.bumped}) has one new item; the rest answer 304 to the stored ETag`,
          `send→mark window (console sink to /dev/null, SQLite WAL commit of the mark), ${result.window.n} posts: median ${result.window.medianUs.toFixed(0)} µs, p99 ${result.window.p99Us.toFixed(0)} µs`,
        ],
      },
    ];
  } finally {
    server.kill();
  }
}
