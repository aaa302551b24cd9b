import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { CHROMIUM, CORPORA, HAVE_CORPORA } from '../support/outside';
import { CHROME_EXT, ROOT, ensureBuilt } from './build';

/** Chromium as found by test/support/outside.ts (SCIPOP_CHROMIUM or the usual paths), or undefined. */
export { CHROMIUM };
/** `describe`, skipped when no Chromium is found (global-setup.ts says so once, or fails in CI). */
export const describeInBrowser = describe.skipIf(!CHROMIUM);
/** `describe`, skipped when Chromium or the corpora are missing. */
export const describeInBrowserWithCorpora = describe.skipIf(!CHROMIUM || !HAVE_CORPORA);
const FIXTURES = join(ROOT, 'test/fixtures/ext');
/** The real pages (never copied into the project). */
export const CORPUS_PAGES = join(CORPORA, 'pages');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

/** Serves the fixtures at `/` and the corpus pages at `/corpora/` on 127.0.0.1. */
export async function startServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [base, rel] = url.pathname.startsWith('/corpora/')
      ? [CORPUS_PAGES, url.pathname.slice(9)]
      : [FIXTURES, url.pathname.slice(1)];
    const path = normalize(join(base, decodeURIComponent(rel)));
    let body: Buffer;
    try {
      if (!path.startsWith(base)) throw new Error('outside');
      body = readFileSync(path);
    } catch {
      // SPA fixtures answer every unknown path with their shell, like a real SPA host.
      if (rel.startsWith('spa/')) body = readFileSync(join(FIXTURES, 'dynamic.html'));
      else {
        res.writeHead(404).end('not found');
        return;
      }
    }
    // youth.html declares GBK but is UTF-8: the header wins over the meta tag.
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** A Chromium with the extension loaded, and what its pages said on the console. */
export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** Console errors and uncaught exceptions, per page URL. */
  errors: string[];
  /** Console errors raised by the extension's own scripts (the real pages have errors of their own). */
  extensionErrors: string[];
  newPage(url: string): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Chromium with the built extension; every host but 127.0.0.1 is blocked. */
export async function launchWithExtension(opts: { lang?: string } = {}): Promise<ExtensionBrowser> {
  if (!CHROMIUM) throw new Error('no Chromium found: install it or set SCIPOP_CHROMIUM');
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'scipop-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 800 },
    locale: opts.lang ?? 'en-US',
    args: [
      '--headless=new',
      `--disable-extensions-except=${CHROME_EXT}`,
      `--load-extension=${CHROME_EXT}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--lang=${opts.lang ?? 'en-US'}`,
    ],
  });
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/]|chrome-extension:|data:|blob:|about:)/, (route) =>
    route.abort('blockedbyclient'),
  );
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  // The worker can be reached a moment before Chromium has given it the extension APIs.
  for (
    let waited = 0;
    !(await worker.evaluate(
      () => typeof (globalThis as { chrome?: { runtime?: { id?: string } } }).chrome?.runtime?.id === 'string',
    ));
    waited += 50
  ) {
    if (waited > 10_000) throw new Error("the extension's service worker has no chrome.runtime after 10 s");
    await new Promise((r) => setTimeout(r, 50));
  }
  // runtime.onInstalled stores the first settings and creates the context menu: a test writing
  // settings before then could have its write replaced.
  for (
    let waited = 0;
    !(await worker.evaluate(
      async () =>
        'settings' in
        (await (
          globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<object> } } } }
        ).chrome.storage.local.get('settings')),
    ));
    waited += 50
  ) {
    if (waited > 10_000)
      throw new Error('the extension did not store its first settings (runtime.onInstalled) in 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  const extensionId = new URL(worker.url()).host;
  const errors: string[] = [];
  const extensionErrors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() === 'error' && m.location().url.startsWith('chrome-extension://'))
        extensionErrors.push(`${page.url()}: ${m.text()}`);
      // Failed loads of the pages' own (blocked) outside resources are the test setup, not us.
      if (m.type() === 'error' && !/Failed to load resource|ERR_BLOCKED_BY_CLIENT|net::ERR/.test(m.text()))
        errors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  };
  context.on('page', watch);
  return {
    context,
    worker,
    extensionId,
    errors,
    extensionErrors,
    async newPage(url) {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'load' });
      return page;
    },
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The highlighted terms of a page as a reader sees them: the text of each range, in page order. */
export async function highlightedTexts(page: Page): Promise<string[]> {
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

/** Waits until scanning has settled: the highlight exists and its size held still for a while. */
export async function waitForScan(page: Page, quietMs = 400): Promise<number> {
  return page.evaluate(async (quiet) => {
    const started = performance.now();
    let last = -1;
    let stableSince = performance.now();
    while (performance.now() - started < 20_000) {
      const h = CSS.highlights.get('scipop-term');
      const measures = performance.getEntriesByName('scipop:annotate').length;
      const size = h ? h.size * 1e6 + measures : -1;
      if (size !== last) {
        last = size;
        stableSince = performance.now();
      } else if (h && performance.now() - stableSince > quiet) return h.size;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('scanning did not settle in 20 s');
  }, quietMs);
}

/** The box of the nth highlighted range whose text is `text`. */
export async function termBox(
  page: Page,
  text: string,
  nth = 0,
): Promise<{ x: number; y: number; left: number; top: number; right: number; bottom: number }> {
  const box = await page.evaluate(
    ([text, nth]) => {
      const h = CSS.highlights.get('scipop-term');
      const found = [...(h ?? [])]
        .map((r) => {
          const range = document.createRange();
          range.setStart(r.startContainer, r.startOffset);
          range.setEnd(r.endContainer, r.endOffset);
          return range;
        })
        .filter((r) => r.toString() === text)
        .sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b));
      const r = found[nth as number]?.getClientRects()[0];
      return r
        ? {
            x: r.left + r.width / 2,
            y: r.top + r.height / 2,
            left: r.left,
            top: r.top,
            right: r.right,
            bottom: r.bottom,
          }
        : null;
    },
    [text, nth] as const,
  );
  if (!box) throw new Error(`no highlighted "${text}" #${nth} on ${page.url()}`);
  return box;
}

/** Moves the real mouse onto a highlighted term and waits for its tooltip; returns the tooltip's text. */
export async function hoverTerm(page: Page, text: string, nth = 0): Promise<string> {
  let box = await termBox(page, text, nth);
  const viewport = page.viewportSize()!;
  if (box.top < 0 || box.bottom > viewport.height) {
    await page.mouse.wheel(0, box.top - viewport.height / 3);
    await page.waitForTimeout(200);
    box = await termBox(page, text, nth);
  }
  await page.mouse.move(box.x - 40, box.y + 30);
  await page.mouse.move(box.x, box.y, { steps: 4 });
  const tip = page.locator('scipop-tooltip [role="tooltip"]');
  await tip.waitFor({ state: 'visible', timeout: 5000 });
  return tip.innerText();
}

/** The box of the tooltip's card, or null when no tooltip is shown. */
export async function tooltipBox(
  page: Page,
): Promise<{ left: number; top: number; right: number; bottom: number; parent: string } | null> {
  return page.evaluate(() => {
    const host = document.querySelector('scipop-tooltip');
    const card = host?.shadowRoot?.querySelector('[role="tooltip"]');
    if (!host || !card) return null;
    const r = card.getBoundingClientRect();
    return {
      left: r.left,
      top: r.top,
      right: r.right,
      bottom: r.bottom,
      parent: host.parentElement?.id || host.parentElement?.localName || '',
    };
  });
}

/** Writes settings into the extension's storage from its service worker, as the options page does. */
export async function setSettings(browser: ExtensionBrowser, patch: Record<string, unknown>): Promise<void> {
  await browser.worker.evaluate(async (p) => {
    const c = (
      globalThis as unknown as {
        chrome: {
          storage: { local: { get(k: string): Promise<Record<string, unknown>>; set(v: unknown): Promise<void> } };
        };
      }
    ).chrome;
    const current = ((await c.storage.local.get('settings')).settings ?? {}) as Record<string, unknown>;
    await c.storage.local.set({ settings: { ...current, version: 1, ...p } });
  }, patch);
}

/** Reads the stored settings from the service worker. */
export async function getSettings(browser: ExtensionBrowser): Promise<Record<string, unknown> | undefined> {
  return browser.worker.evaluate(async () => {
    const c = (
      globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }
    ).chrome;
    return (await c.storage.local.get('settings')).settings as Record<string, unknown> | undefined;
  });
}

/**
 * The tab id of `page`, found as the active tab of the last focused window once the page is brought
 * to front (without the `tabs` permission the worker cannot read tab URLs). Chromium can report the
 * previous tab for a moment after bringToFront, so a tab counts only once its content script answers.
 */
export async function pageTabId(browser: ExtensionBrowser, page: Page): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await page.bringToFront();
    const found = await browser.worker.evaluate(async (host) => {
      const c = (
        globalThis as unknown as {
          chrome: {
            tabs: {
              query(q: object): Promise<{ id: number }[]>;
              sendMessage(id: number, m: unknown): Promise<{ host?: string } | undefined>;
            };
          };
        }
      ).chrome;
      const [tab] = await c.tabs.query({ active: true, lastFocusedWindow: true });
      if (!tab) return undefined;
      const reply = await c.tabs.sendMessage(tab.id, { type: 'page-glossary' }).catch(() => undefined);
      return reply?.host === host ? tab.id : undefined;
    }, new URL(page.url()).hostname);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no active tab answered for ${page.url()} within 10 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Sends a message from the service worker to the content script of the page, as the background
 * does for the keyboard command and the context menu.
 */
export async function messageTab(browser: ExtensionBrowser, page: Page, message: unknown): Promise<unknown> {
  const tabId = await pageTabId(browser, page);
  return browser.worker.evaluate(
    async ({ tabId, message }) =>
      (
        globalThis as unknown as { chrome: { tabs: { sendMessage(id: number, m: unknown): Promise<unknown> } } }
      ).chrome.tabs.sendMessage(tabId, message),
    { tabId, message },
  );
}

/** The fixture server of a test file. */
export type FixtureServer = Awaited<ReturnType<typeof startServer>>;

/**
 * One fixture server and one browser with the extension per test file. After each test the pages
 * in `pages` close, the extension's storage is cleared, and the test must have left no console
 * error; `bind` receives the browser and server once they are up.
 */
export function useExtensionBrowser(
  pages: Page[],
  bind: (browser: ExtensionBrowser, server: FixtureServer) => void,
): void {
  let browser: ExtensionBrowser | undefined;
  let server: FixtureServer | undefined;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchWithExtension();
    bind(browser, server);
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.close();
    await browser!.worker.evaluate(() =>
      (
        globalThis as unknown as { chrome: { storage: { local: { clear(): Promise<void> } } } }
      ).chrome.storage.local.clear(),
    );
    expect(browser!.errors).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
}
