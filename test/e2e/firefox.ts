import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { describe } from 'vitest';
import { FIREFOX } from '../support/outside';
import { ROOT, ensureBuilt } from './build';

// Firefox, driven over WebDriver BiDi (puppeteer-core's Firefox support: stock Firefox, no patched
// build), with the unpacked Firefox build installed through BiDi's webExtension.install.

/** The unpacked Firefox build (`wxt build -b firefox`). */
export const FIREFOX_EXT = join(ROOT, '.output/firefox-mv2');
/** The extension's gecko id (wxt.config.ts). */
const GECKO_ID = 'scipop@scipop.invalid';
/** The moz-extension:// host, fixed by a pref so tests can open the popup and options pages. */
export const FIREFOX_EXT_UUID = '5c1f0a2e-8d3b-4c6e-9f7a-3b2d1e0c9a84';

/** `describe`, skipped when no Firefox is found (global-setup.ts says so once, or fails in CI). */
export const describeInFirefox = describe.skipIf(!FIREFOX);

/**
 * Builds the Firefox extension when it is missing or older than the Chrome build, which
 * ensureBuilt() keeps as new as the sources (only this file builds for Firefox: no lock needed).
 */
export async function ensureFirefoxBuilt(): Promise<void> {
  await ensureBuilt();
  const ff = statSync(join(FIREFOX_EXT, 'manifest.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const chrome = statSync(join(ROOT, '.output/chrome-mv3/manifest.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (ff >= chrome) return;
  mkdirSync(join(ROOT, '.output'), { recursive: true });
  execFileSync(process.execPath, [join(ROOT, 'node_modules/wxt/bin/wxt.mjs'), 'build', '-b', 'firefox'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}

/** A headless Firefox with the extension installed. */
export interface FirefoxWithExtension {
  browser: Browser;
  /** `moz-extension://<uuid>/` */
  base: string;
  newPage(url: string): Promise<Page>;
  /** Opens one of the extension's pages (`options.html`, `popup.html?tab=3`) in a new tab. */
  extensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Firefox (FIREFOX) with the built extension; every host but 127.0.0.1 is refused by the proxy pref. */
export async function launchFirefox(): Promise<FirefoxWithExtension> {
  if (!FIREFOX) throw new Error('no Firefox found: install firefox-esr or set SCIPOP_FIREFOX');
  await ensureFirefoxBuilt();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    protocol: 'webDriverBiDi',
    // Firefox 153+ lets WebDriver navigate to moz-extension:// pages (the popup, the options) only
    // with system access allowed (https://bugzilla.mozilla.org/show_bug.cgi?id=1579790).
    args: ['--remote-allow-system-access'],
    defaultViewport: { width: 1200, height: 800 },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXT_UUID }),
      // Nothing leaves the machine: outside hosts go to a proxy that is not there (a
      // port nobody listens on; Firefox answers "Address rejected" for its banned ports, such as 9).
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': 59_999,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': 59_999,
      'network.proxy.no_proxies_on': '127.0.0.1',
      'network.proxy.allow_hijacking_localhost': false,
    },
  });
  await browser.installExtension(FIREFOX_EXT);
  return {
    browser,
    base: `moz-extension://${FIREFOX_EXT_UUID}/`,
    async newPage(url) {
      const page = await browser.newPage();
      // A page whose scripts document.write outside scripts (bbc-1.html) makes Firefox report the
      // navigation failed ("Address rejected") while the page itself loads: ask the document.
      await page.goto(url, { waitUntil: 'load' }).catch(() => waitForDocument(page, url));
      return page;
    },
    async extensionPage(path) {
      const page = await browser.newPage();
      await gotoExtensionPage(page, `moz-extension://${FIREFOX_EXT_UUID}/${path}`);
      return page;
    },
    close: () => browser.close(),
  };
}

/**
 * Navigates to a moz-extension:// page. The page loads in the extension's process and the
 * navigation's events never reach WebDriver (puppeteer waits for them forever), so the
 * navigation is started without waiting and the document itself is asked when it is ready.
 */
export async function gotoExtensionPage(page: Page, url: string): Promise<void> {
  void page.goto(url, { timeout: 0 }).catch(() => undefined);
  await waitForDocument(page, url);
}

/** Waits until the page's document is `url` and completely loaded (15 s at most). */
async function waitForDocument(page: Page, url: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 15_000;) {
    const state = await page.evaluate(() => [location.href, document.readyState]).catch(() => ['', 'loading']);
    if (state[0] === url && state[1] === 'complete') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not load in 15 s`);
}

/** The highlighted terms as a reader sees them, in page order. */
export function ffHighlightedTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const h = CSS.highlights.get('scipop-term');
    if (!h) return [];
    const ranges = [...h].map((r) => {
      const range = document.createRange();
      range.setStart(r.startContainer, r.startOffset);
      range.setEnd(r.endContainer, r.endOffset);
      return range;
    });
    ranges.sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b));
    return ranges.map((r) => r.toString());
  });
}

/** Waits until the highlight exists and held still for `quietMs`. */
export function ffWaitForScan(page: Page, quietMs = 400): Promise<number> {
  return page.evaluate(async (quiet) => {
    const started = performance.now();
    let last = -1;
    let stableSince = performance.now();
    while (performance.now() - started < 20_000) {
      const h = CSS.highlights.get('scipop-term');
      const size = h ? h.size * 1e6 + performance.getEntriesByName('scipop:annotate').length : -1;
      if (size !== last) {
        last = size;
        stableSince = performance.now();
      } else if (h && performance.now() - stableSince > quiet) return h.size;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('scanning did not settle in 20 s');
  }, quietMs);
}

/** Moves the real mouse onto the nth highlighted `text` and returns the tooltip's text once shown. */
export async function ffHoverTerm(page: Page, text: string, nth = 0): Promise<string> {
  const box = await page.evaluate(
    (text, nth) => {
      const found = [...(CSS.highlights.get('scipop-term') ?? [])]
        .map((r) => {
          const range = document.createRange();
          range.setStart(r.startContainer, r.startOffset);
          range.setEnd(r.endContainer, r.endOffset);
          return range;
        })
        .filter((r) => r.toString() === text)
        .sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b));
      const r = found[nth]?.getClientRects()[0];
      return r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
    },
    text,
    nth,
  );
  if (!box) throw new Error(`no highlighted "${text}" #${nth} on ${page.url()}`);
  await page.mouse.move(box.x - 40, box.y + 30);
  await page.mouse.move(box.x, box.y, { steps: 4 });
  const handle = await page.waitForFunction(
    () => {
      const card = document.querySelector('scipop-tooltip')?.shadowRoot?.querySelector('[role="tooltip"]');
      return card && (card as HTMLElement).offsetParent !== null ? (card as HTMLElement).innerText : false;
    },
    { timeout: 5000, polling: 50 },
  );
  return (await handle.jsonValue()) as string;
}
