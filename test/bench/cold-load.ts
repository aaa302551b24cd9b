// Loads a serialized matcher in a fresh process and prints how long it took: the cost a page pays.
import { readFileSync } from 'node:fs';
import { loadMatcher } from '../../shared/matcher';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const memory = () => {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};
const bytes = new Uint8Array(readFileSync(process.argv[2]!));
const before = memory();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const matcher = loadMatcher(bytes);
const loadMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
matcher.find('DNA');
// The matcher's own memory: what it holds beyond the serialized bytes it was loaded from.
const heapMB = (memory() - before) / 2 ** 20;
process.stdout.write(
  JSON.stringify({ loadMs, loadCpuMs: (cpu.user + cpu.system) / 1000, heapMB, alive: matcher.entries.length > 0 }),
);
