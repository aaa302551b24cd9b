// One engine process for the engine-cycle benchmark: N sources on a local host, one subscribe
// cycle (every feed new), then one steady cycle (mostly 304s, every 20th feed with a new item).
// Prints one JSON line of measurements.
import { mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../bots/config/config';
import { createEngine } from '../../bots/engine/engine';
import { createFetcher } from '../../bots/engine/fetcher';
import { createEngineMetrics } from '../../bots/engine/metrics';
import { parseFeedText } from '../../bots/engine/parse-feed';
import { createConsoleSink } from '../../bots/engine/sinks/console-sink';
import type { EngineLogger } from '../../bots/engine/types';
import { engineSettings } from '../../bots/config/engine-settings';
import { bundledGlossary } from '../../bots/glossary/bundled';
import { createSqliteStore } from '../../bots/store/sqlite-store';

const [portArg, countArg, everyArg] = process.argv.slice(2);
const port = Number(portArg);
const count = Number(countArg ?? 10_000);
const every = Number(everyArg ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'scipop-bench-'));
const store = createSqliteStore(join(dir, 'bench.db'));
const devNull = openSync('/dev/null', 'w');
const quiet: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} };
const config = parseConfig({
  sources: { seedOpml: null },
  fetch: { concurrency: Number(process.env.SCIPOP_BENCH_CONCURRENCY ?? 32) },
});
await store.upsertChannel({ id: 'console', sink: 'console', target: 'null', title: 'bench', rules: {} }, 0);
for (let i = 0; i < count; i++) {
  // 100 loopback hosts, so per-host limits apply as they would across real publishers.
  await store.addSource(
    { url: `http://127.0.0.${1 + (i % 100)}:${port}/feed/${i}`, title: `Bench ${i}`, tags: ['astronomy'] },
    0,
  );
}
let windowStart = 0;
const windows: number[] = [];
const markSent = store.markSent.bind(store);
store.markSent = async (...args) => {
  await markSent(...args);
  windows.push(Number(process.hrtime.bigint()) / 1000 - windowStart);
};
const fetcher = createFetcher({ allowPrivateNetworks: true });
const engine = createEngine({
  store,
  fetcher,
  parse: (text, o) => parseFeedText(text, o),
  sinks: new Map([['console', createConsoleSink({ write: (t) => void writeSync(devNull, t) })]]),
  glossary: bundledGlossary(),
  settings: { ...engineSettings(config), firstFetchPosts: 0 },
  clock: { now: () => new Date() },
  random: Math.random,
  log: quiet,
  metrics: createEngineMetrics(store, { defaultMetrics: false }),
  failpoint: (point) => {
    if (point === 'after-send') windowStart = Number(process.hrtime.bigint()) / 1000;
  },
});
await engine.init();

async function measure(name: string) {
  (globalThis as { gc?: () => void }).gc?.();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await engine.runOnce();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { name, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMB: peak / 2 ** 20, ...report };
}

const subscribe = await measure('subscribe (every feed new, first fetch)');
const bump = await fetch(`http://127.0.0.1:${port}/bump?every=${every}&total=${count}`, { method: 'POST' });
const bumped = Number(await bump.text());
const steady = await measure('steady (mostly 304s)');
windows.sort((a, b) => a - b);
const pct = (p: number) => windows[Math.min(windows.length - 1, Math.floor(p * windows.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ count, bumped, cycles: [subscribe, steady], window: { n: windows.length, medianUs: pct(0.5), p99Us: pct(0.99) }, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
await engine.stop();
fetcher.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
