// `npm run bench engine-parse`: our parse + normalize against rss-parser's parse alone, on the
// real feeds of the shared corpus (the same decoded texts for both).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { decodeFeedBytes } from '../../bots/engine/charset-decode';
import { parseFeedText } from '../../bots/engine/parse-feed';
import { heapUsedMB } from './harness';

const REAL = join(import.meta.dirname, '../../../shared/corpora/feeds/real');

/** Every real feed of the corpus (not the `.expected` outputs), sorted. */
export function realFeedFiles(): string[] {
  return walk(REAL);
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (!name.includes('.expected')) out.push(path);
  }
  return out;
}

type Pass = () => Promise<number>;
type Timing = { medianMs: number; items: number; runs: number };

/**
 * Runs the passes in turn, round after round (after a warm-up round), for at least minMs, so
 * that noise from other work on the machine falls on all of them alike. Median ms per pass each.
 */
async function timeInterleaved(passes: Pass[], minMs = 6000, minRounds = 5): Promise<Timing[]> {
  const items: number[] = [];
  for (const pass of passes) items.push(await pass());
  const samples: number[][] = passes.map(() => []);
  const start = performance.now();
  for (let round = 0; round < minRounds || performance.now() - start < minMs; round++) {
    // Rotate the order each round: the garbage one pass leaves is collected during the next.
    for (let k = 0; k < passes.length; k++) {
      const i = (round + k) % passes.length;
      const t0 = performance.now();
      await passes[i]!();
      samples[i]!.push(performance.now() - t0);
    }
  }
  return samples.map((list, i) => {
    list.sort((a, b) => a - b);
    return { medianMs: list[Math.floor(list.length / 2)]!, items: items[i]!, runs: list.length };
  });
}

/** The engine-parse section: items/s and MB/s, ours vs rss-parser alone. */
export async function benchEngineParse() {
  const texts = realFeedFiles().map((file) => ({ file, text: decodeFeedBytes(readFileSync(file)).text }));
  // The baseline can only run on what rss-parser parses by itself (not JSON Feed, not broken XML).
  const usable: { file: string; text: string }[] = [];
  for (const t of texts) {
    try {
      await new Parser().parseString(t.text);
      usable.push(t);
    } catch {
      /* left out of both columns, for a like-for-like comparison */
    }
  }
  const mb = usable.reduce((n, t) => n + Buffer.byteLength(t.text), 0) / 2 ** 20;

  const parser = new Parser(); // one instance, its best case: every input here parses without error
  const ourPass = (set: { text: string }[]) => async () => {
    let items = 0;
    for (const t of set) {
      const result = await parseFeedText(t.text, { url: 'https://feeds.example/feed' });
      if (result.ok) items += result.value.items.length;
    }
    return items;
  };
  const heap0 = heapUsedMB();
  const [baseline, ours, all] = (await timeInterleaved([
    async () => {
      let items = 0;
      for (const t of usable) items += (await parser.parseString(t.text)).items.length;
      return items;
    },
    ourPass(usable),
    ourPass(texts),
  ])) as [Timing, Timing, Timing];
  const heapAfter = heapUsedMB();
  const row = (name: string, r: Timing, files: number, size: number) => ({
    pipeline: name,
    files,
    items: r.items,
    'median ms/pass': r.medianMs,
    'items/s': Math.round((r.items / r.medianMs) * 1000),
    'MB/s': size / (r.medianMs / 1000),
    runs: r.runs,
  });
  const allMb = texts.reduce((n, t) => n + Buffer.byteLength(t.text), 0) / 2 ** 20;
  return [
    {
      title: `Feed parsing — corpus real/ feeds (${usable.length} files rss-parser parses alone, ${mb.toFixed(1)} MB)`,
      rows: [
        row('rss-parser parseString alone (baseline)', baseline, usable.length, mb),
        row('ours: guard + rss-parser + normalize to Item', ours, usable.length, mb),
        row(`ours on all ${texts.length} real files (incl. JSON Feed, repaired XML)`, all, texts.length, allMb),
      ],
      notes: [
        `our overhead over the parser alone: ×${(ours.medianMs / baseline.medianMs).toFixed(2)} time per pass (same files, same decoded text)`,
        `item count agrees with the baseline: ${ours.items === baseline.items ? 'yes' : `no (${ours.items} vs ${baseline.items})`}`,
        `heap after our passes: ${heapAfter.toFixed(0)} MB (before: ${heap0.toFixed(0)} MB; meaningful with --expose-gc)`,
      ],
    },
  ];
}
