import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { HAVE_CORPORA } from '../support/outside';
import {
  CHROMIUM,
  CORPUS_PAGES,
  describeInBrowserWithCorpora,
  highlightedTexts,
  hoverTerm,
  launchWithExtension,
  startServer,
  waitForScan,
  type ExtensionBrowser,
} from './harness';

let browser: ExtensionBrowser;
let server: Awaited<ReturnType<typeof startServer>>;
// The same pages in a Chromium without the extension: some pages' own scripts rewrite the body.
let control: Browser;
let controlContext: BrowserContext;

const snapshotBody = () => {
  document.addEventListener('DOMContentLoaded', () => {
    (window as unknown as { __bodyBefore: string }).__bodyBefore = document.body.innerHTML;
  });
};

async function changesItself(url: string): Promise<boolean> {
  const page = await controlContext.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(2500);
  const changed = await page.evaluate(
    () => (window as unknown as { __bodyBefore?: string }).__bodyBefore !== document.body.innerHTML,
  );
  await page.close();
  return changed;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchWithExtension();
  // Each page keeps its <body> markup as parsed, before the extension (document_idle) runs.
  await browser.context.addInitScript(snapshotBody);
  control = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu'],
  });
  controlContext = await control.newContext({ viewport: { width: 1200, height: 800 } });
  await controlContext.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort('blockedbyclient'));
  await controlContext.addInitScript(snapshotBody);
});

afterAll(async () => {
  await control?.close();
  await browser?.close();
  await server?.close();
});

const pages = (HAVE_CORPORA ? readdirSync(CORPUS_PAGES) : []).filter((f) => f.endsWith('.html')).sort();

describeInBrowserWithCorpora('the real pages', () => {
  it.each(pages)('%s: scanned in passes under 50 ms, the page markup untouched, no errors from us', async (file) => {
    const page = await browser.newPage(`${server.origin}/corpora/${file}`);
    await waitForScan(page, 500);
    const report = await page.evaluate(() => {
      const measures = performance.getEntriesByName('scipop:annotate', 'measure') as PerformanceMeasure[];
      const passes = measures.map((m) => m.duration);
      const details = JSON.stringify(measures.map((m) => [Math.round(m.duration), m.detail]));
      const before = (window as unknown as { __bodyBefore?: string }).__bodyBefore;
      const ranges = [...(CSS.highlights.get('scipop-term') ?? [])];
      // Every range lies in text and covers text (no collapsed or broken ranges).
      const wellFormed = ranges.every(
        (r) =>
          r.startContainer.nodeType === Node.TEXT_NODE && r.endContainer.nodeType === Node.TEXT_NODE && !r.collapsed,
      );
      return { passes, details, unchanged: before === document.body.innerHTML, wellFormed, count: ranges.length };
    });
    expect(report.passes.length).toBeGreaterThan(0);
    expect(Math.max(...report.passes), report.details).toBeLessThan(50);
    expect(report.wellFormed).toBe(true);
    // A page whose own scripts rewrite its body (bbc, nytimes) is compared only when it does not.
    if (!report.unchanged)
      expect(await changesItself(page.url()), 'the body changed, and not by the page itself').toBe(true);
    expect(browser.extensionErrors).toEqual([]);
    await page.close();
  });

  it('explains a Chinese term on the Chinese page (served as UTF-8)', async () => {
    const page = await browser.newPage(`${server.origin}/corpora/youth.html`);
    await waitForScan(page, 500);
    const texts = await highlightedTexts(page);
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((t) => /\p{Script=Han}/u.test(t) || /[A-Za-z]/.test(t))).toBe(true);
    const zh = texts.find((t) => /\p{Script=Han}/u.test(t));
    expect(zh).toBeDefined();
    const tip = await hoverTerm(page, zh!);
    expect(tip).toContain(zh!);
    await page.close();
  });

  it('shows a tooltip on a real English page (screenshot for the README)', async () => {
    const page = await browser.newPage(`${server.origin}/corpora/wikipedia.html`);
    await waitForScan(page, 500);
    const texts = await highlightedTexts(page);
    expect(texts.length).toBeGreaterThan(10);
    const term = texts[Math.min(3, texts.length - 1)]!;
    const tip = await hoverTerm(page, term);
    expect(tip.length).toBeGreaterThan(term.length);
    // The README's screenshots are refreshed on demand: SCIPOP_SCREENSHOTS=1 npx vitest run test/e2e
    if (process.env.SCIPOP_SCREENSHOTS) await page.screenshot({ path: 'test/e2e/screenshots/tooltip-wikipedia.png' });
    await page.close();
  });
});
