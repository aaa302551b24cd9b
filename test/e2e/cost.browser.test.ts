import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROME_EXT } from './build';
import { HAVE_CORPORA } from '../support/outside';
import { describeInBrowser, launchWithExtension, startServer, waitForScan, type ExtensionBrowser } from './harness';

// What SciPop costs the page it runs in: no task of ours may hold the main thread 50 ms (issue #5).
// A page's own long tasks (Chromium parsing the Guardian's 1.1 MB of HTML takes 50–200 ms on this
// machine) are not ours: a long task is ours when it overlaps one of our measures, which span only
// synchronous work of the content script — scipop:init (the script's startup, then starting the
// page), scipop:load (decoding, then building the matcher), scipop:annotate (each scanning chunk).

let browser: ExtensionBrowser;
let server: Awaited<ReturnType<typeof startServer>>;

/** Runs in every page before anything else: keeps each long task the page's main thread runs. */
function observeLongTasks() {
  const tasks: { startTime: number; duration: number }[] = [];
  (window as unknown as { __scipopLongTasks: typeof tasks }).__scipopLongTasks = tasks;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ startTime: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

interface Report {
  /** Our measures, by name: their durations in ms. */
  measures: Record<string, number[]>;
  /** The durations of the long tasks that overlap one of our measures. */
  ours: number[];
  /** All the page's long tasks. */
  all: number[];
}

/** Our measures and the long tasks that overlap them, optionally only those named with `prefix`. */
function report(prefix: string): Report {
  const measures = performance.getEntriesByType('measure').filter((m) => m.name.startsWith(prefix));
  const tasks = (window as unknown as { __scipopLongTasks: { startTime: number; duration: number }[] })
    .__scipopLongTasks;
  const out: Record<string, number[]> = {};
  for (const m of measures) (out[m.name] ??= []).push(Math.round(m.duration * 10) / 10);
  const ours = tasks.filter((t) =>
    measures.some((m) => m.startTime < t.startTime + t.duration && m.startTime + m.duration > t.startTime),
  );
  return {
    measures: out,
    ours: ours.map((t) => Math.round(t.duration)),
    all: tasks.map((t) => Math.round(t.duration)),
  };
}

const longest = (r: Report) => Math.max(0, ...r.ours, ...Object.values(r.measures).flat());

beforeAll(async () => {
  server = await startServer();
  browser = await launchWithExtension();
  await browser.context.addInitScript(observeLongTasks);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describeInBrowser('the cost of SciPop to a page', () => {
  it('the content script is under 150 KB and carries no zod (building its schemas was the long task)', () => {
    const script = readFileSync(join(CHROME_EXT, 'content-scripts/content.js'), 'utf8');
    expect(Buffer.byteLength(script) / 1024).toBeLessThan(150);
    expect(script).not.toMatch(/\$Zod|zod/i);
  });

  // Each load is timed by the wall clock, and on a shared 2-core machine the system can stop the
  // renderer in the middle of any task: one load in three may be stretched by that alone. A task
  // of ours that really takes 50 ms (zod's schemas took 40–80 ms here) is long in all three.
  // The corpora's largest pages where they are; our own long article (test/fixtures/ext) everywhere.
  const pages = [...(HAVE_CORPORA ? ['corpora/guardian-1.html', 'corpora/wikipedia.html'] : []), 'article.html'];
  it.each(pages)('%s: injection, glossary load and scanning never hold the main thread 50 ms', async (file) => {
    const reports: Report[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const page = await browser.newPage(`${server.origin}/${file}`);
      await waitForScan(page, 500);
      const r = await page.evaluate(report, 'scipop:');
      await page.close();
      // Every part of our work was measured, or the page was not really run through.
      expect(Object.keys(r.measures).sort()).toEqual(['scipop:annotate', 'scipop:init', 'scipop:load']);
      expect(r.measures['scipop:init']).toHaveLength(2);
      expect(r.measures['scipop:load']).toHaveLength(2);
      reports.push(r);
      if (longest(r) < 50) break;
    }
    expect(Math.min(...reports.map(longest)), JSON.stringify(reports)).toBeLessThan(50);
    expect(browser.extensionErrors).toEqual([]);
  });

  it('the attribution sees a long task: 80 ms of work inside a measure is reported as ours', async () => {
    const page = await browser.newPage(`${server.origin}/rules.html`);
    await waitForScan(page);
    // In a task of the page's own (work run by page.evaluate itself is not reported as a long task).
    await page.evaluate(() => {
      setTimeout(() => {
        const start = performance.now();
        while (performance.now() - start < 80);
        performance.measure('probe:busy', { start, end: performance.now() });
      }, 0);
    });
    await expect.poll(async () => (await page.evaluate(report, 'probe:')).ours.length).toBe(1);
    expect((await page.evaluate(report, 'probe:')).ours[0]).toBeGreaterThanOrEqual(80);
    await page.close();
  });
});
