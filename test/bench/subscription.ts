// A community glossary the size of the whole bundled glossary, subscribed in real Chromium: one
// 10-entry diff applied while a real page is open. Reports the main-thread long tasks on the page
// while the update lands, and the bytes moved (gzip-compressed) next to a full download.
// `npx tsx test/bench/subscription.ts` runs it alone.
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { listPackFiles, readPackFiles } from '../../bots/glossary/bundled';
import type { GlossaryEntry } from '../../shared/glossary/schema';
import { launchWithExtension, startServer, waitForScan } from '../e2e/harness';
import { createPublishedFolder, servePublishedFolder } from '../support/published-glossary';
import { printTable } from './harness';

type Row = Record<string, string | number>;
const round = (n: number) => Math.round(n * 10) / 10;

/** Polls the options page's status of the subscription until it shows `text`; fails after a minute with what it shows. */
async function waitForStatus(options: Page, text: string): Promise<void> {
  const row = options.locator('#subscriptions li');
  for (const started = Date.now(); Date.now() - started < 60_000; await new Promise((r) => setTimeout(r, 50))) {
    if ((await row.innerText().catch(() => '')).includes(text)) return;
  }
  throw new Error(`the subscription did not reach "${text}": ${await row.innerText().catch(() => '(no row)')}`);
}
const kb = (bytes: number) => round(bytes / 1024);

/** Revision 1: every bundled entry, by language; revision 2: ten of them with a new short text. */
function revisions(): [Map<string, GlossaryEntry[]>, Map<string, GlossaryEntry[]>] {
  const r1 = new Map<string, GlossaryEntry[]>();
  for (const { pack } of readPackFiles(listPackFiles()).packs)
    r1.set(pack.lang, [...(r1.get(pack.lang) ?? []), ...pack.entries]);
  const r2 = new Map([...r1].map(([lang, list]) => [lang, [...list]]));
  // Five entries rewritten and five new terms, so the matcher changes too (a text-only change
  // leaves the serialized matcher as it was, and a page then decodes nothing).
  const en = r2.get('en')!;
  for (let i = 0; i < 5; i++) {
    const at = i * Math.floor(en.length / 5);
    en[at] = { ...en[at]!, short: `The community's own short text for ${en[at]!.term}.` };
  }
  const words = ['quasar', 'drizzle', 'lattice', 'cascade', 'meadow'];
  for (const [i, word] of words.entries())
    en.push({ ...en[i]!, id: `community-${word}-effect`, term: `${word} effect`, aliases: [], avoid: [] });
  return [r1, r2];
}

async function longTasksWhile(
  page: Page,
  work: () => Promise<void>,
): Promise<{ tasks: number[]; measures: { name: string; ms: number }[] }> {
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[] };
    w.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration);
    }).observe({ type: 'longtask' });
    performance.clearMeasures();
  });
  await work();
  return page.evaluate(() => ({
    tasks: (window as unknown as { __long: number[] }).__long,
    measures: performance
      .getEntriesByType('measure')
      .filter((m) => m.name.startsWith('scipop:'))
      .map((m) => ({ name: m.name, ms: m.duration })),
  }));
}

/** The section for `npm run bench`. */
export async function benchSubscription(): Promise<{ title: string; rows: Row[]; notes: string[] }[]> {
  const [r1, r2] = revisions();
  const folder = createPublishedFolder('Bench community');
  folder.publish({ entries: r1 });
  const published = await servePublishedFolder(folder.dir);
  const corpus = await startServer();
  const browser = await launchWithExtension();
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    const baseline = await browser.newPage(`${corpus.origin}/corpora/wikipedia.html`);
    const baselineTerms = await waitForScan(baseline, 1500);
    await baseline.close();
    const options = await browser.newPage(
      `chrome-extension://${browser.extensionId}/options.html#subscribe=${encodeURIComponent(published.indexUrl)}&key=${encodeURIComponent(folder.key.publicKey)}`,
    );
    const t0 = performance.now();
    await options.getByRole('button', { name: 'Subscribe', exact: true }).click();
    await waitForStatus(options, 'revision 1');
    const firstMs = performance.now() - t0;
    const fullRequests = published.requests.filter((r) => r.status === 200);

    const page = await browser.newPage(`${corpus.origin}/corpora/wikipedia.html`);
    const before = await waitForScan(page, 1500);
    folder.publish({ entries: r2 });
    published.requests.length = 0;
    let updateMs = 0;
    let after = 0;
    const { tasks, measures } = await longTasksWhile(page, async () => {
      const t1 = performance.now();
      await options.getByRole('button', { name: /^Check now/ }).click();
      await waitForStatus(options, 'revision 2');
      updateMs = performance.now() - t1;
      // The page reloads its matchers and scans again.
      await page.waitForTimeout(1500);
      after = await waitForScan(page, 1500);
    });
    const longest = [...measures].sort((a, b) => b.ms - a.ms)[0];
    const diffRequests = published.requests.filter((r) => r.status === 200);
    const gz = (paths: string[]) => paths.reduce((a, p) => a + gzipSync(folder.read(p)).length, 0);
    const rawOf = (reqs: typeof fullRequests) => reqs.reduce((a, r) => a + r.bytes, 0);
    // What a full download of revision 2 would move: the index, its signature and every pack.
    const fullPaths = ['index.json', 'index.json.sig', ...[...r2.keys()].map((lang) => `packs/${lang}.json`)];
    const diffPaths = diffRequests.map((r) => r.path);
    const entries = [...r2.values()].reduce((a, l) => a + l.length, 0);
    rows.push(
      {
        update: `full download (revision 2, ${entries} entries)`,
        files: fullPaths.length,
        'KB raw': kb(fullPaths.reduce((a, p) => a + folder.read(p).length, 0)),
        'KB gzip': kb(gz(fullPaths)),
      },
      {
        update: '10-entry diff (1 → 2), as moved',
        files: diffPaths.length,
        'KB raw': kb(rawOf(diffRequests)),
        'KB gzip': kb(gz(diffPaths)),
      },
    );
    notes.push(
      `diff update moved ${diffPaths.join(', ')}; first subscription (full download of ${kb(rawOf(fullRequests))} KB raw, verify, compile in the background) took ${Math.round(firstMs)} ms`,
      `check to revision 2 stored (fetch, verify, apply the diff, hash both rebuilt packs, switch): ${Math.round(updateMs)} ms in the background`,
      `page (wikipedia.html; terms highlighted: ${baselineTerms} bundled only, ${before} at revision 1, ${after} at revision 2) while the update landed: ${tasks.length} long tasks${tasks.length ? ` (${tasks.map((t) => round(t)).join(', ')} ms)` : ''} (target: none over 50 ms); longest scipop:* measure ${longest ? `${longest.name} ${round(longest.ms)} ms` : '-'} over ${measures.length} measures (${[...new Set(measures.map((m) => m.name))].join(', ')})`,
    );
  } finally {
    await browser.close();
    await corpus.close();
    await published.close();
    folder.remove();
  }
  return [
    { title: 'Extension: a community glossary the size of the bundled one, updated by a 10-entry diff', rows, notes },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const section of await benchSubscription()) {
    printTable(section.title, section.rows);
    for (const note of section.notes) console.log(`- ${note}`);
  }
}
