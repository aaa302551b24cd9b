import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { bundledEntry } from './glossary';
import {
  describeInBrowser,
  getSettings,
  highlightedTexts,
  hoverTerm,
  launchWithExtension,
  pageTabId,
  setSettings,
  waitForScan,
  useExtensionBrowser,
  type ExtensionBrowser,
  type FixtureServer,
} from './harness';

let browser: ExtensionBrowser;
let server: FixtureServer;
const pages: Page[] = [];

async function open(url: string, scan = true): Promise<Page> {
  const page = await browser.newPage(url);
  pages.push(page);
  if (scan) await waitForScan(page);
  return page;
}

useExtensionBrowser(pages, (b, s) => {
  browser = b;
  server = s;
});

const pack = (entries: object[]) => ({
  format: 1,
  id: 'lab-terms',
  title: 'Lab terms',
  lang: 'en',
  revision: 1,
  license: 'CC0-1.0',
  entries,
});
const flux = {
  id: 'flux-capacitor',
  term: 'flux capacitor',
  fields: ['engineering'],
  level: 3,
  short: 'A made-up device from a film, used here to test imports.',
  long: 'Longer text about the device.',
  sources: [{ title: 'Test', url: 'https://example.org/flux' }],
};

describeInBrowser('the popup', () => {
  it("lists the page's terms with explanations in order of appearance, and switches the site off and on", async () => {
    const page = await open(`${server.origin}/rules.html`);
    const tab = await pageTabId(browser, page);
    const popup = await open(`chrome-extension://${browser.extensionId}/popup.html?tab=${tab}`, false);
    const items = popup.locator('#terms > li');
    // The status line says what the popup got from the page ("6 terms", or why it has none).
    await expect.poll(() => popup.locator('#status').innerText(), { timeout: 10_000 }).toBe('6 terms');
    expect(await items.locator('strong').allInnerTexts()).toEqual([
      'exoplanet',
      'black hole',
      'vaccine',
      'photon',
      'comet',
      'supernova',
    ]);
    expect(await items.nth(0).innerText()).toContain(bundledEntry('en', 'exoplanet').short);
    expect(await items.nth(1).innerText()).toContain('×4');
    expect(await popup.locator('#host').innerText()).toBe('(127.0.0.1)');
    const site = popup.locator('#site');
    expect(await site.isChecked()).toBe(true);
    await site.uncheck();
    await expect.poll(async () => (await getSettings(browser))?.disabledSites).toEqual(['127.0.0.1']);
    await expect.poll(() => highlightedTexts(page)).toEqual([]);
    await site.check();
    await expect.poll(() => highlightedTexts(page)).toContain('exoplanet');
    await popup.locator('#global').uncheck();
    await expect.poll(() => highlightedTexts(page)).toEqual([]);
  });
});

describeInBrowser('the options page', () => {
  it('refuses an invalid pack with one clear line per problem', async () => {
    const options = await open(`chrome-extension://${browser.extensionId}/options.html`, false);
    await options.locator('#pack').setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(pack([{ ...flux, id: 'Flux', level: 9, sources: [] }]))),
    });
    const errors = options.locator('#import-errors li');
    await errors.first().waitFor();
    const lines = await errors.allInnerTexts();
    expect(lines).toContain('bad.json: entries[0].id: must be a lowercase slug (a-z, 0-9, single hyphens)');
    expect(lines).toContain('bad.json: entries[0].sources: needs at least one source');
    expect(lines.some((l) => l.startsWith('bad.json: entries[0].level:'))).toBe(true);
    expect(await options.locator('#import-result').innerText()).toContain('Not imported');
    expect(await options.locator('#imported li').count()).toBe(0);
  });

  it('imports a valid pack, whose terms then show on open pages, and removes it', async () => {
    const page = await open(`${server.origin}/imported.html`);
    expect(await highlightedTexts(page)).toEqual(['comet']);
    const options = await open(`chrome-extension://${browser.extensionId}/options.html`, false);
    await options.locator('#pack').setInputFiles({
      name: 'lab.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(pack([flux]))),
    });
    await options.locator('#imported li').first().waitFor();
    expect(await options.locator('#import-result').innerText()).toContain('Imported Lab terms (1 entries)');
    await expect.poll(() => highlightedTexts(page)).toEqual(['flux capacitor', 'comet']);
    expect(await hoverTerm(page, 'flux capacitor')).toContain(flux.short);
    await options.bringToFront();
    await options.locator('#imported li button').click();
    await expect.poll(() => highlightedTexts(page)).toEqual(['comet']);
  });

  it('saves each choice at once and lists known terms with a way to show them again', async () => {
    await setSettings(browser, { known: ['comet'] });
    const options = await open(`chrome-extension://${browser.extensionId}/options.html`, false);
    const known = options.locator('#known li');
    await expect.poll(() => known.first().innerText()).toMatch(/^comet \/ 彗星/);
    await options.locator('input[name="languages"][value="zh"]').check();
    await options.locator('input[name="maxLevel"][value="2"]').check();
    await options.locator('input[name="occurrences"][value="first"]').check();
    await options.locator('#fields input[value="medicine"]').uncheck();
    await expect.poll(async () => (await getSettings(browser))?.occurrences).toBe('first');
    const stored = (await getSettings(browser))!;
    expect(stored).toMatchObject({ languages: 'zh', maxLevel: 2, occurrences: 'first' });
    expect(stored.fields).not.toContain('medicine');
    await known.first().locator('button').click();
    await expect.poll(async () => (await getSettings(browser))?.known).toEqual([]);
    expect(await known.first().innerText()).toContain('None yet');
  });
});

describeInBrowser('the interface in Chinese', () => {
  it("follows the browser's language in the tooltip and the popup", async () => {
    const zh = await launchWithExtension({ lang: 'zh-CN' });
    try {
      const page = await zh.newPage(`${server.origin}/rules.html`);
      await waitForScan(page);
      const text = await hoverTerm(page, 'exoplanet');
      expect(text).toContain('我懂了');
      expect(text).toContain('天文');
      expect(text).toContain(bundledEntry('en', 'exoplanet').short);
      const popup = await zh.newPage(`chrome-extension://${zh.extensionId}/popup.html`);
      expect(await popup.locator('h1').innerText()).toBe('本页术语');
      expect(zh.errors).toEqual([]);
    } finally {
      await zh.close();
    }
  });
});
