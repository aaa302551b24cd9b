/**
 * Warm up, then repeat until enough time has passed. Reports the median wall time of a run and the
 * mean CPU time of a run (user + system): on a machine shared with other jobs the wall time
 * includes waiting for a core, the CPU time does not.
 */
export function timeIt(
  fn: () => void,
  minMs = 400,
  minRuns = 3,
): { medianMs: number; bestMs: number; cpuMs: number; runs: number } {
  fn(); // warm-up: let the JIT see the code before timing it
  const samples: number[] = [];
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  while (samples.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  samples.sort((a, b) => a - b);
  return {
    medianMs: samples[Math.floor(samples.length / 2)]!,
    bestMs: samples[0]!,
    cpuMs: (cpu.user + cpu.system) / 1000 / samples.length,
    runs: samples.length,
  };
}

/** JS heap plus ArrayBuffer memory (typed arrays live outside the heap) after a full collection; needs --expose-gc (npm run bench sets it). */
export function heapUsedMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 2 ** 20;
}

/** Prints rows as an aligned text table with a title. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | number | undefined) => (v === undefined ? '' : typeof v === 'number' ? fmt(v) : v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(`\n## ${title}\n`);
  console.log(line(cols));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** The first line a child process prints (a port, a JSON result). */
export async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let buf = '';
  for await (const chunk of stream) {
    buf += String(chunk);
    const nl = buf.indexOf('\n');
    if (nl >= 0) return buf.slice(0, nl);
  }
  throw new Error('process ended without output');
}
