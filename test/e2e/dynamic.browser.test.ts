import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { bundledEntry } from './glossary';
import {
  describeInBrowser,
  highlightedTexts,
  messageTab,
  setSettings,
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

const texts = (page: Page) => () => highlightedTexts(page);

useExtensionBrowser(pages, (b, s) => {
  browser = b;
  server = s;
});

describeInBrowser('pages that change', () => {
  it('follows a React-like re-render: new text is highlighted, removed text loses its highlight', async () => {
    const page = await open('dynamic.html');
    expect(await highlightedTexts(page)).toEqual(['vaccine', 'comet', 'supernova']);
    await page.evaluate(() => (window as unknown as { app: { set(s: string): void } }).app.set('two'));
    await expect.poll(texts(page)).toEqual(['photon', 'supernova']);
    await page.evaluate(() => document.getElementById('root')!.replaceChildren());
    await expect.poll(texts(page)).toEqual(['supernova']);
  });

  it('rescans a text node rewritten in place and text appended later', async () => {
    const page = await open('dynamic.html');
    await page.evaluate(() =>
      // A black hole needs context (another astronomy or physics term in its block): the exoplanet.
      (window as unknown as { app: { retext(s: string): void } }).app.retext('A black hole and an exoplanet appear.'),
    );
    await expect.poll(texts(page)).toEqual(['black hole', 'exoplanet', 'comet', 'supernova']);
    await page.evaluate(() =>
      (window as unknown as { app: { append(s: string): void } }).app.append('Later: an exoplanet.'),
    );
    await expect.poll(texts(page)).toEqual(['black hole', 'exoplanet', 'comet', 'supernova', 'exoplanet']);
  });

  it('never doubles a highlight across many re-renders', async () => {
    const page = await open('dynamic.html');
    for (let i = 0; i < 20; i++) await page.evaluate(() => (window as unknown as { app: { tick(): void } }).app.tick());
    await waitForScan(page);
    expect(await highlightedTexts(page)).toEqual(['vaccine', 'comet', 'supernova']);
  });

  it('rescans on a single-page-app route change', async () => {
    const page = await open('spa/home');
    await page.evaluate(() =>
      (window as unknown as { app: { navigate(p: string, l: string[]): void } }).app.navigate('/spa/next', [
        'Route two: an exoplanet and a qubit.',
      ]),
    );
    expect(page.url()).toContain('/spa/next');
    await expect.poll(texts(page)).toEqual(['exoplanet', 'qubit', 'supernova']);
  });
});

describeInBrowser('settings apply to open tabs without a reload', () => {
  it('turns off and on for this site, and filters by level and language', async () => {
    const page = await open('rules.html');
    const all = await highlightedTexts(page);
    expect(all).toContain('exoplanet');
    await setSettings(browser, { disabledSites: ['127.0.0.1'] });
    await expect.poll(texts(page)).toEqual([]);
    await setSettings(browser, { disabledSites: [] });
    await expect.poll(texts(page)).toEqual(all);
    expect(bundledEntry('en', 'exoplanet').level).toBe(2);
    await setSettings(browser, { maxLevel: 1 });
    await expect.poll(texts(page)).not.toContain('exoplanet');
    await setSettings(browser, { maxLevel: 3, languages: 'zh' });
    await expect.poll(texts(page)).toEqual([]);
  });

  it('changes the highlight style', async () => {
    const page = await open('rules.html');
    const css = () =>
      page.evaluate(() => document.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join('\n'));
    expect(await css()).toMatch(/::highlight\(scipop-term\) \{ text-decoration: underline 1px/);
    await setSettings(browser, { style: 'dotted', color: '#aa0000' });
    await expect
      .poll(css)
      .toMatch(/::highlight\(scipop-term\) \{ text-decoration: underline 2px dotted rgb\(170, 0, 0\)/);
  });
});

describeInBrowser('explaining on request (keyboard command and context menu)', () => {
  it('explains the highlighted term at the selection, focuses the tooltip, and Esc gives focus back', async () => {
    const page = await open('rules.html');
    await page.focus('#ta');
    await page.evaluate(() => {
      const text = document.getElementById('p2')!.firstChild as Text;
      const at = text.data.indexOf('comet');
      getSelection()!.setBaseAndExtent(text, at + 2, text, at + 2);
    });
    const reply = await messageTab(browser, page, { type: 'explain' });
    expect(reply).toEqual({ shown: true, id: 'comet' });
    const tip = page.locator('scipop-tooltip [role="tooltip"]');
    expect(await tip.innerText()).toContain(bundledEntry('en', 'comet').short);
    expect(await page.evaluate(() => document.activeElement?.localName)).toBe('scipop-tooltip');
    await page.keyboard.press('Escape');
    expect(await tooltipBox(page)).toBeNull();
  });

  it('explains selected text that is not highlighted (the context menu sends the selection)', async () => {
    const page = await open('rules.html');
    const reply = await messageTab(browser, page, { type: 'explain', text: 'a qubit' });
    expect(reply).toEqual({ shown: true, id: 'qubit' });
    expect(await page.locator('scipop-tooltip [role="tooltip"]').innerText()).toContain(
      bundledEntry('en', 'qubit').short,
    );
    const none = await messageTab(browser, page, { type: 'explain', text: 'nothing technical' });
    expect(none).toEqual({ shown: false });
    expect(await page.locator('scipop-tooltip [role="tooltip"]').innerText()).toContain('no explanation');
  });

  it("answers the popup with the page's terms in order of appearance", async () => {
    const page = await open('rules.html');
    const reply = (await messageTab(browser, page, { type: 'page-glossary' })) as {
      terms: { id: string; count: number }[];
    };
    expect(reply.terms.map((t) => `${t.id}×${t.count}`)).toEqual([
      'exoplanet×1',
      'black-hole×4',
      'vaccine×1',
      'photon×1',
      'comet×1',
      'supernova×1',
    ]);
  });
});
