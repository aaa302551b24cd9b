import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { bundledEntry } from './glossary';
import {
  describeInBrowser,
  getSettings,
  highlightedTexts,
  hoverTerm,
  setSettings,
  termBox,
  tooltipBox,
  waitForScan,
  useExtensionBrowser,
  type ExtensionBrowser,
  type FixtureServer,
} from './harness';

let browser: ExtensionBrowser;
let server: FixtureServer;
const pages: Page[] = [];

async function open(path: string): Promise<Page> {
  const page = await browser.newPage(`${server.origin}/${path}`);
  pages.push(page);
  await waitForScan(page);
  return page;
}

useExtensionBrowser(pages, (b, s) => {
  browser = b;
  server = s;
});

describeInBrowser('scanning what a reader reads', () => {
  it('highlights each term occurrence in reading text, across inline tags, and nothing in code, fields or hidden parts', async () => {
    const page = await open('rules.html');
    expect(await highlightedTexts(page)).toEqual([
      'exoplanet',
      'black hole',
      'vaccine',
      'photon',
      'black hole',
      'black hole',
      'comet',
      'black hole',
      'supernova',
    ]);
    // "<b>black</b> hole" is one range over two text nodes; the page's nodes stay as they were.
    const split = await page.evaluate(() => {
      const r = [...CSS.highlights.get('scipop-term')!].find((x) => x.startContainer !== x.endContainer);
      return r && { start: r.startContainer.parentElement!.localName, end: r.endContainer.textContent };
    });
    expect(split).toEqual({ start: 'b', end: ' hole.' });
  });

  it('leaves the page DOM as it was, apart from the tooltip element while it is open', async () => {
    const page = await open('rules.html');
    await hoverTerm(page, 'vaccine');
    const same = await page.evaluate(() => {
      const clone = document.body.cloneNode(true) as HTMLElement;
      const tips = clone.querySelectorAll('scipop-tooltip');
      tips.forEach((t) => t.remove());
      return {
        tips: tips.length,
        same: clone.innerHTML === (window as unknown as { __bodyBefore: string }).__bodyBefore,
      };
    });
    expect(same).toEqual({ tips: 1, same: true });
  });

  it('scans the visible article first: with "first occurrence only" the terms on screen win over earlier markup off screen', async () => {
    await setSettings(browser, { occurrences: 'first' });
    const page = await open('priority.html');
    const where = await page.evaluate(() =>
      [...CSS.highlights.get('scipop-term')!]
        .map(
          (r) =>
            `${(r.startContainer.parentElement as HTMLElement).id || r.startContainer.parentElement!.closest('[id]')!.id}:${r.startContainer.textContent!.slice(r.startOffset, r.endOffset)}`,
        )
        .sort(),
    );
    expect(where).toEqual(['lead:comet', 'lead:photon', 'lead:vaccine']);
  });

  it('records every pass as scipop:annotate measures of at most 50 ms, and asks the network for nothing', async () => {
    const requests: string[] = [];
    const onRequest = (r: { url(): string }) => requests.push(r.url());
    browser.context.on('request', onRequest);
    const page = await open('rules.html');
    await hoverTerm(page, 'comet');
    browser.context.off('request', onRequest);
    // The page itself (and the favicon Chromium asks for) is all: scanning and tooltips fetch nothing.
    expect(requests.filter((u) => !u.endsWith('/rules.html') && !u.endsWith('/favicon.ico'))).toEqual([]);
    const durations = await page.evaluate(() =>
      performance.getEntriesByName('scipop:annotate', 'measure').map((m) => m.duration),
    );
    expect(durations.length).toBeGreaterThan(0);
    expect(Math.max(...durations)).toBeLessThan(50);
  });
});

describeInBrowser('the tooltip', () => {
  it('opens on hover with the term, its field, its short explanation, and "More" shows the long one', async () => {
    const page = await open('rules.html');
    const entry = bundledEntry('en', 'exoplanet');
    const text = await hoverTerm(page, 'exoplanet');
    expect(text).toContain(entry.term);
    expect(text).toContain(entry.short);
    expect(text).toContain('Astronomy');
    expect(text).toContain('I know this');
    expect(text).not.toContain(entry.long);
    await page.locator('scipop-tooltip .more-btn').click();
    expect(await page.locator('scipop-tooltip [role="tooltip"]').innerText()).toContain(entry.long);
    if (process.env.SCIPOP_SCREENSHOTS)
      await page.screenshot({
        path: 'test/e2e/screenshots/tooltip-more.png',
        clip: { x: 0, y: 0, width: 1000, height: 460 },
      });
    const link = page.locator('scipop-tooltip a.source');
    expect(await link.getAttribute('href')).toBe(new URL(entry.sources[0]!.url).href);
    expect(await page.evaluate(() => document.querySelector('scipop-tooltip')!.shadowRoot!.mode)).toBe('open');
  });

  it('closes on Esc, and stays closed while the pointer rests on the term', async () => {
    const page = await open('rules.html');
    const box = await termBox(page, 'photon');
    await hoverTerm(page, 'photon');
    await page.keyboard.press('Escape');
    expect(await tooltipBox(page)).toBeNull();
    await page.mouse.move(box.x + 1, box.y, { steps: 2 });
    await page.waitForTimeout(600);
    expect(await tooltipBox(page)).toBeNull();
    await hoverTerm(page, 'vaccine');
  });

  it('closes when the pointer leaves the term', async () => {
    const page = await open('rules.html');
    await hoverTerm(page, 'photon');
    await page.mouse.move(5, 5, { steps: 3 });
    await expect.poll(() => tooltipBox(page)).toBeNull();
  });

  it('"I know this" removes the term everywhere on the page, stores it, and other pages skip it', async () => {
    const page = await open('rules.html');
    await hoverTerm(page, 'black hole', 1);
    await page.locator('scipop-tooltip button.know').click();
    expect(await tooltipBox(page)).toBeNull();
    expect(await highlightedTexts(page)).toEqual(['exoplanet', 'vaccine', 'photon', 'comet', 'supernova']);
    await expect.poll(async () => (await getSettings(browser))?.known).toEqual(['black-hole']);
    const other = await open('rules.html');
    expect(await highlightedTexts(other)).not.toContain('black hole');
  });

  it('stays inside the viewport at the bottom-right corner (flip above, shift left)', async () => {
    const page = await open('overlay.html');
    const term = await termBox(page, 'comet');
    await hoverTerm(page, 'comet');
    const box = (await tooltipBox(page))!;
    const viewport = page.viewportSize()!;
    expect(box.bottom).toBeLessThanOrEqual(term.top);
    expect(box.right).toBeLessThanOrEqual(viewport.width);
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.top).toBeGreaterThanOrEqual(0);
  });

  it("shows above the page's own overlay with the highest z-index", async () => {
    const page = await open('overlay.html');
    await hoverTerm(page, 'exoplanet');
    const box = (await tooltipBox(page))!;
    const onTop = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x!, y!)?.localName,
      [(box.left + box.right) / 2, (box.top + box.bottom) / 2],
    );
    expect(onTop).toBe('scipop-tooltip');
    expect(await page.evaluate(() => document.getElementById('banner')!.getBoundingClientRect().top)).toBeLessThan(
      box.bottom,
    );
  });

  it('opens inside the fullscreen element', async () => {
    const page = await open('overlay.html');
    await page.click('#go-fs');
    await expect.poll(() => page.evaluate(() => document.fullscreenElement?.id)).toBe('stage');
    await waitForScan(page);
    await hoverTerm(page, 'photon');
    const box = (await tooltipBox(page))!;
    expect(box.parent).toBe('stage');
    const onTop = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x!, y!)?.localName,
      [(box.left + box.right) / 2, (box.top + box.bottom) / 2],
    );
    expect(onTop).toBe('scipop-tooltip');
  });
});
