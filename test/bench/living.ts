// The living glossary: how long from an editor's approval to a matcher that uses it, with the
// bundled glossary and 1,000 community entries, and whether the posting loop waits meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance as perf } from 'node:perf_hooks';
import { join } from 'node:path';
import { loadBundledPacks } from '../../bots/glossary/bundled';
import { createInlineCompiler, createThreadCompiler, type MatcherCompiler } from '../../bots/glossary/compiler';
import { createLiveGlossary } from '../../bots/glossary/live';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { GlossaryEntry } from '../../shared/glossary/schema';
import { compileMatcher } from '../../shared/matcher';

const COMMUNITY = 1000;
const ROUNDS = 7;
const editor = { platform: 'bench', id: '1', name: 'Bench' };

const word = (n: number) =>
  n
    .toString(26)
    .split('')
    .map((c) => String.fromCharCode(97 + parseInt(c, 26)))
    .join('');
const entry = (n: number): GlossaryEntry => ({
  id: `zq-${word(n + 1000)}-term`,
  term: `zq${word(n + 1000)}ite compound`,
  aliases: [`zq${word(n + 1000)}ite`],
  avoid: [],
  fields: ['chemistry'],
  level: 2,
  short: `A made-up compound number ${n}, used to measure how fast changes reach the bots.`,
  long: `It exists only in the benchmark. Number ${n}.`,
  related: [],
  sources: [{ title: 'Bench', url: `https://example.org/${n}` }],
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs a stand-in posting loop (find terms in a post, then yield) and reports its longest stall. */
function postingLoop(find: (text: string) => unknown) {
  let running = true;
  let worst = 0;
  let last = performance.now();
  let posts = 0;
  const done = (async () => {
    while (running) {
      find('Astronomers studied an exoplanet and a black hole with the James Webb Space Telescope.');
      posts++;
      await new Promise((r) => setImmediate(r));
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return { worstStallMs: worst, posts };
    },
  };
}

async function measure(compilerName: string, compiler: MatcherCompiler) {
  const dir = mkdtempSync(join(tmpdir(), 'scipop-bench-living-'));
  const store = createSqliteStore(join(dir, 'bench.db'));
  try {
    for (let n = 0; n < COMMUNITY; n++)
      await store.publishGlossaryChange(
        { lang: 'en', entryId: entry(n).id, action: 'edit', entry: entry(n), author: editor, note: '' },
        Date.now(),
      );
    const bundled = loadBundledPacks();
    const live = await createLiveGlossary({
      store,
      bundled,
      bundledMatcher: compileMatcher(bundled.map((p) => p.pack)),
      compiler,
    });
    const idle = postingLoop((t) => live.find(t));
    await new Promise((r) => setTimeout(r, 300));
    const baseline = (await idle.stop()).worstStallMs;
    const latencies: number[] = [];
    const stalls: number[] = [];
    const approveAndRefresh = async (n: number) => {
      const e = entry(n);
      const draft = await store.saveGlossaryDraft(
        { lang: 'en', entryId: e.id, action: 'edit', entry: e, author: editor, note: '' },
        Date.now(),
      );
      const t0 = performance.now();
      await store.approveGlossaryDraft(draft.id, editor, Date.now());
      // The event loop's busy time during the refresh: the work done on this thread (reading the
      // store, indexing, decoding the compiled matcher), whatever the other thread costs.
      const elu = perf.eventLoopUtilization();
      await live.refresh();
      const busy = perf.eventLoopUtilization(elu).active;
      const ms = performance.now() - t0;
      if (!live.find(`A new ${e.term} was made.`).some((m) => m.id === e.id))
        throw new Error('the refreshed glossary does not use the approved entry');
      return { ms, busy };
    };
    // The latency alone, then again with a busy stand-in posting loop beside it (its stalls).
    const busy: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const r = await approveAndRefresh(COMMUNITY + round);
      latencies.push(r.ms);
      busy.push(r.busy);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const loop = postingLoop((t) => live.find(t));
      await new Promise((r) => setTimeout(r, 20));
      await approveAndRefresh(COMMUNITY + ROUNDS + round);
      await new Promise((r) => setTimeout(r, 20));
      stalls.push((await loop.stop()).worstStallMs);
    }
    await live.close();
    return {
      compiler: compilerName,
      'entries (bundled + community)': `${bundled.reduce((n, p) => n + p.pack.entries.length, 0)} + ${COMMUNITY}`,
      'approval → matcher, median ms': median(latencies).toFixed(0),
      'worst ms': Math.max(...latencies).toFixed(0),
      'main-thread work per refresh, median ms': median(busy).toFixed(1),
      'posting loop longest stall, median ms': median(stalls).toFixed(1),
      'worst stall ms': Math.max(...stalls).toFixed(1),
      'stall with no refresh (300 ms), ms': baseline.toFixed(1),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run bench -- living`. */
export async function benchLiving() {
  const rows = [await measure('worker thread (scipop run)', createThreadCompiler())];
  rows.push(await measure('inline (for comparison)', createInlineCompiler()));
  return [
    {
      title: `living glossary: an approval reaching the bots' matcher (SQLite store, ${ROUNDS} approvals)`,
      rows,
      notes: [
        'approval → matcher: from the approving transaction committed to a refreshed glossary that finds the new term (read the new published revisions, compile the community layer, swap); target under 300 ms.',
        "main-thread work: the event loop's busy time during one refresh with nothing else running (reading the new revisions, indexing the community's entries, decoding the compiled matcher): how long a refresh can hold up a post on this thread. The compile itself runs on the other thread.",
        "posting loop stall: the longest gap between iterations of a busy stand-in loop (match a post, yield) during another round of approvals and refreshes, next to the same loop's stall when nothing refreshes. With the worker thread the loop waits only for the main-thread work above, plus what the compile thread takes from it when the machine has fewer free cores than busy threads; the inline compile blocks the loop for the whole compile.",
        'A worker that did not make the change notices it within `glossary.refreshSeconds` (default 10 s) plus this time.',
      ],
    },
  ];
}
