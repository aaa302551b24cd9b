import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPublishedFolder,
  createTestKey,
  servePublishedFolder,
  testEntry,
  type PublishedFolder,
  type PublishedServer,
} from '../support/published-glossary';
import { bundledEntry } from './glossary';
import {
  highlightedTexts,
  hoverTerm,
  messageTab,
  useExtensionBrowser,
  waitForScan,
  type ExtensionBrowser,
} from './harness';

// The extension subscribes to a community glossary published as a static folder on loopback
// (written with the shared published.ts and a node:crypto key, as `scipop glossary publish` does).

let browser: ExtensionBrowser;
let folder: PublishedFolder;
let server: PublishedServer;
const pages: Page[] = [];

useExtensionBrowser(pages, (b) => {
  browser = b;
});

const ARTICLE = `<!doctype html><html lang="en"><head><title>News</title></head><body><main>
<h1>Lab notes</h1>
<p>The team measured a quasiparticle drizzle in the sample, then sequenced its DNA again.</p>
<p>Every atom in the lattice moved; a phonon cascade followed in the second run.</p>
</main></body></html>`;

const revision1 = () =>
  new Map([
    [
      'en',
      [
        testEntry('quasiparticle-drizzle', { short: 'A faint rain of quasiparticles, as our lab describes it.' }),
        testEntry('dna', { term: 'DNA', fields: ['genetics'], short: 'The molecule of heredity, in the lab’s words.' }),
      ],
    ],
  ]);

beforeAll(async () => {
  folder = createPublishedFolder('Lab Physics Circle');
  folder.publish({ entries: revision1(), retired: { en: ['atom'] }, ask: 'ask' });
  server = await servePublishedFolder(folder.dir);
  server.pages.set('/article.html', ARTICLE);
});

afterAll(async () => {
  await server?.close();
  folder?.remove();
});

async function open(url: string): Promise<Page> {
  const page = await browser.newPage(url);
  pages.push(page);
  return page;
}

const optionsUrl = (hash = '') => `chrome-extension://${browser.extensionId}/options.html${hash}`;

async function subscribeByLink(key = folder.key.publicKey): Promise<Page> {
  const options = await open(
    optionsUrl(`#subscribe=${encodeURIComponent(server.indexUrl)}&key=${encodeURIComponent(key)}`),
  );
  await expect.poll(() => options.locator('#sub-url').inputValue()).toBe(server.indexUrl);
  await expect.poll(() => options.locator('#subscribe-status').innerText()).toContain('Ready to add');
  await options.getByRole('button', { name: 'Subscribe', exact: true }).click();
  return options;
}

const stored = () =>
  browser.worker.evaluate(async () => {
    const c = (
      globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }
    ).chrome;
    return (await c.storage.local.get('subscriptions')).subscriptions as { revision?: number; lastError?: string }[];
  });

describe('community glossary subscriptions', () => {
  it('subscribes from a #subscribe= link; after one check the community’s terms are on the page, named as theirs', async () => {
    const options = await subscribeByLink();
    await expect.poll(() => options.locator('#subscribe-status').innerText()).toBe('Subscribed to Lab Physics Circle.');
    const row = options.locator('#subscriptions li');
    await expect.poll(() => row.innerText()).toContain('revision 1');
    expect(await row.innerText()).toContain('Lab Physics Circle');
    expect(await options.locator('#subscribe-error').innerText()).toBe('');

    const page = await open(`${server.origin}/article.html`);
    await waitForScan(page);
    const texts = await highlightedTexts(page);
    expect(texts).toContain('quasiparticle drizzle');
    expect(texts).toContain('DNA');
    // The community retired the bundled "atom" for its readers.
    expect(texts).not.toContain('atom');
    const tip = await hoverTerm(page, 'quasiparticle drizzle');
    expect(tip).toContain('A faint rain of quasiparticles');
    expect(tip).toContain('From Lab Physics Circle');
    // The community's DNA replaces the bundled one.
    await page.keyboard.press('Escape');
    await page.locator('scipop-tooltip [role="tooltip"]').waitFor({ state: 'hidden' });
    const dna = await hoverTerm(page, 'DNA');
    expect(dna).toContain('The molecule of heredity, in the lab’s words.');
    expect(dna).not.toContain(bundledEntry('en', 'dna').short);
    expect(dna).toContain('From Lab Physics Circle');
  });

  it('tells SciPop’s own entries apart, and refuses a bad address with a clear message', async () => {
    const options = await open(optionsUrl());
    await options.locator('#sub-url').fill('http://example.org/glossary/v1/index.json');
    await options.locator('#sub-key').fill(folder.key.publicKey);
    await options.getByRole('button', { name: 'Subscribe', exact: true }).click();
    await expect.poll(() => options.locator('#subscribe-error').innerText()).toMatch(/must start with https:\/\//);
    await options.locator('#sub-url').fill(server.indexUrl);
    await options.locator('#sub-key').fill('not-a-key');
    await options.getByRole('button', { name: 'Subscribe', exact: true }).click();
    await expect.poll(() => options.locator('#subscribe-error').innerText()).toMatch(/public key is not valid/);
    expect(await stored()).toBeUndefined();

    const page = await open(`${server.origin}/article.html`);
    await waitForScan(page);
    expect(await highlightedTexts(page)).toContain('atom');
    const tip = await hoverTerm(page, 'atom');
    expect(tip).toContain("From SciPop's editors");
  });

  it('keeps the last good copy through a tampered index, a wrong key, a hash mismatch and a server that is down, and says why', async () => {
    const options = await subscribeByLink();
    await expect.poll(async () => (await stored())?.[0]?.revision).toBe(1);
    const page = await open(`${server.origin}/article.html`);
    await waitForScan(page);
    const good = await highlightedTexts(page);
    expect(good).toContain('quasiparticle drizzle');

    const next = revision1();
    next.get('en')!.push(testEntry('phonon-cascade', { short: 'Sound quanta tumbling one after another.' }));
    folder.publish({ entries: next, retired: { en: ['atom'] }, ask: 'ask' });
    const goodIndex = folder.read('index.json');
    const goodSig = folder.read('index.json.sig');
    const goodPack = folder.read('packs/en.json');
    const restore = () => {
      folder.write('index.json', goodIndex);
      folder.write('index.json.sig', goodSig);
      folder.write('packs/en.json', goodPack);
      server.down = false;
    };

    const checkNowFails = async (reason: RegExp) => {
      await options.reload();
      await options.getByRole('button', { name: /^Check now/ }).click();
      await expect.poll(() => options.locator('#subscriptions li .error').innerText()).toMatch(reason);
      expect(await options.locator('#subscriptions li .status').innerText()).toContain('revision 1');
      expect((await stored())[0]).toMatchObject({ revision: 1, lastError: expect.stringMatching(reason) });
      const popup = await open(`chrome-extension://${browser.extensionId}/popup.html`);
      expect(await popup.locator('#subscriptions').innerText()).toMatch(reason);
      expect(await popup.locator('#subscriptions').innerText()).toMatch(/revision 1 · last check/);
      await popup.close();
      restore();
    };

    // A tampered index: one changed byte after signing.
    folder.write('index.json', goodIndex.toString().replace('"checkAfterSeconds": 3600', '"checkAfterSeconds": 3601'));
    await checkNowFails(/signature does not match/);
    // A wrong key: the index signed by someone else's key.
    const { sign } = await import('node:crypto');
    folder.write('index.json.sig', sign(null, goodIndex, createTestKey().privateKey).toString('base64'));
    await checkNowFails(/signature does not match/);
    // A hash mismatch: the pack changed on the server; without a diff the full pack is needed.
    const noDiff = JSON.parse(goodIndex.toString());
    noDiff.diffs = [];
    folder.write('index.json', JSON.stringify(noDiff));
    folder.resign();
    folder.write('packs/en.json', goodPack.toString().replace('tumbling', 'tumblin'));
    await checkNowFails(/packs\/en\.json does not match the hash/);
    // A server that is down.
    server.down = true;
    await checkNowFails(/the server answered 503/);

    // Through all of it the page kept the last good copy.
    const again = await open(`${server.origin}/article.html`);
    await waitForScan(again);
    expect(await highlightedTexts(again)).toEqual(good);

    // Back to normal: the update moves only the diff, and open pages pick up the new term.
    server.requests.length = 0;
    await options.reload();
    await options.getByRole('button', { name: /^Check now/ }).click();
    await expect.poll(() => options.locator('#subscriptions li .status').innerText()).toContain('revision 2');
    expect(await options.locator('#subscriptions li .error').count()).toBe(0);
    expect(server.requests.map((r) => r.path)).toEqual(['index.json', 'index.json.sig', 'diffs/1-2.json']);
    await expect.poll(() => highlightedTexts(again)).toContain('phonon cascade');
  });

  it('asks the community for a term it lacks, after the reader said yes, sending only the words and their language', async () => {
    await subscribeByLink();
    await expect.poll(async () => (await stored())?.[0]?.revision).toBeGreaterThan(0);
    const page = await open(`${server.origin}/article.html`);
    await waitForScan(page);
    server.asked.length = 0;
    // Select "second run" (no entry anywhere) and use the context-menu path.
    await page.evaluate(() => {
      const p = document.querySelectorAll('p')[1]!;
      const text = p.firstChild!;
      const at = text.textContent!.indexOf('second run');
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + 'second run'.length);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    await messageTab(browser, page, { type: 'explain', text: 'second run' });
    const tip = page.locator('scipop-tooltip [role="tooltip"]');
    await tip.getByRole('button', { name: 'Ask the community to explain this' }).click();
    await expect.poll(() => tip.innerText()).toContain('This sends only the selected words (“second run”)');
    expect(server.asked).toEqual([]);
    await tip.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => tip.innerText()).toContain('Sent to Lab Physics Circle.');
    expect(server.asked).toEqual([{ text: 'second run', lang: 'en' }]);
  });
});
