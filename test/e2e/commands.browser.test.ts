import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { bundledEntry } from './glossary';
import {
  describeInBrowser,
  pageTabId,
  setSettings,
  tooltipBox,
  waitForScan,
  useExtensionBrowser,
  type ExtensionBrowser,
  type FixtureServer,
} from './harness';

// The context menu and the keyboard command, through the listeners the background registered.
// Headless Chromium draws no context menu to click, and a key press sent to the page
// (page.keyboard.press('Alt+Shift+E')) goes to the renderer, never to the browser's command
// shortcuts: tried, and the command does not fire. So the tests dispatch the browser's own events
// in the service worker (chrome.contextMenus.onClicked.dispatch, chrome.commands.onCommand.dispatch,
// which Chromium's extension bindings have), with what the browser would pass: the menu item, the
// selection's text, the tab. Everything from the listener on — the background's handler, the
// message to the tab, the content script, the tooltip — is the real code.

let browser: ExtensionBrowser;
let server: FixtureServer;
const pages: Page[] = [];

useExtensionBrowser(pages, (b, s) => {
  browser = b;
  server = s;
});

type Chrome = {
  tabs: { query(q: object): Promise<{ id: number }[]> };
  contextMenus: {
    update(id: string, props: object): Promise<void>;
    onClicked: { dispatch(info: object, tab: object): void };
  };
  commands: {
    getAll(): Promise<{ name: string; shortcut: string }[]>;
    onCommand: { dispatch(command: string, tab?: object): void };
  };
};

/** Opens a fixture page, front and scanned. Hover waits 3 s, so no tooltip opens by hovering here. */
async function open(path: string): Promise<Page> {
  await setSettings(browser, { hoverDelay: 3000 });
  const page = await browser.newPage(`${server.origin}/${path}`);
  pages.push(page);
  await waitForScan(page);
  await page.bringToFront();
  return page;
}

/** A right-click on "Explain with SciPop" (or another menu item) over the page's selection. */
async function clickMenu(page: Page, menuItemId: string): Promise<void> {
  const selectionText = await page.evaluate(() => getSelection()!.toString());
  const tabId = await pageTabId(browser, page);
  await browser.worker.evaluate(
    async ({ menuItemId, selectionText, pageUrl, tabId }) => {
      const c = (globalThis as unknown as { chrome: Chrome }).chrome;
      const tab = (await c.tabs.query({})).find((t) => t.id === tabId);
      c.contextMenus.onClicked.dispatch({ menuItemId, selectionText, pageUrl, editable: false }, tab!);
    },
    { menuItemId, selectionText, pageUrl: page.url(), tabId },
  );
}

/** The keyboard shortcut's command, as the browser sends it to the background. */
async function pressCommand(page: Page, command: string): Promise<void> {
  const tabId = await pageTabId(browser, page);
  await browser.worker.evaluate(
    async ({ command, tabId }) => {
      const c = (globalThis as unknown as { chrome: Chrome }).chrome;
      c.commands.onCommand.dispatch(
        command,
        (await c.tabs.query({})).find((t) => t.id === tabId),
      );
    },
    { command, tabId },
  );
}

const tooltipText = (page: Page) => page.locator('scipop-tooltip [role="tooltip"]').innerText();

describeInBrowser('"Explain with SciPop" in the context menu', () => {
  it('is installed for selections, and explains selected text SciPop did not highlight', async () => {
    // update() fails for a menu item that does not exist: the background created this one.
    const menu = () =>
      browser.worker.evaluate(() =>
        (globalThis as unknown as { chrome: Chrome }).chrome.contextMenus
          .update('scipop-explain', { contexts: ['selection'] })
          .then(() => 'exists', String),
      );
    await expect.poll(menu).toBe('exists');
    const page = await open('rules.html');
    // The <pre> block is never scanned, so its "black hole" has no highlight; select it all.
    await page.locator('#pre').click({ clickCount: 3 });
    expect(await page.evaluate(() => getSelection()!.toString())).toContain('black hole in a pre block');
    await clickMenu(page, 'another-extension-item');
    await page.waitForTimeout(500);
    expect(await tooltipBox(page)).toBeNull();
    await clickMenu(page, 'scipop-explain');
    await expect.poll(() => tooltipBox(page)).not.toBeNull();
    const text = await tooltipText(page);
    expect(text).toContain(bundledEntry('en', 'black-hole').term);
    expect(text).toContain(bundledEntry('en', 'black-hole').short);
    // The tooltip takes focus so a screen reader reads it, and sits by the selection.
    expect(await page.evaluate(() => document.activeElement?.localName)).toBe('scipop-tooltip');
    const pre = (await page.locator('#pre').boundingBox())!;
    const box = (await tooltipBox(page))!;
    expect(Math.min(Math.abs(box.top - (pre.y + pre.height)), Math.abs(box.bottom - pre.y))).toBeLessThan(40);
  });

  it('says so when the selection has no term the glossary explains', async () => {
    const page = await open('rules.html');
    await page.locator('#ce').click({ clickCount: 3 });
    await page.keyboard.type('nothing technical here');
    await page.locator('#ce').click({ clickCount: 3 });
    await clickMenu(page, 'scipop-explain');
    await expect.poll(() => tooltipBox(page)).not.toBeNull();
    expect(await tooltipText(page)).toContain('no explanation');
  });
});

describeInBrowser('the keyboard command (Alt+Shift+E)', () => {
  it('is bound to the declared shortcut, and explains the highlighted term at the selection', async () => {
    const commands = await browser.worker.evaluate(() =>
      (globalThis as unknown as { chrome: Chrome }).chrome.commands.getAll(),
    );
    expect(commands).toContainEqual(expect.objectContaining({ name: 'explain-term', shortcut: 'Alt+Shift+E' }));
    const page = await open('rules.html');
    // A real double click on the highlighted "comet" selects it.
    const p2 = page.locator('#p2');
    const at = await p2.evaluate((el) => {
      const text = el.firstChild as Text;
      const range = document.createRange();
      const i = text.data.indexOf('comet');
      range.setStart(text, i);
      range.setEnd(text, i + 5);
      const r = range.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.dblclick(at.x, at.y);
    await page.mouse.move(5, 5);
    expect(await page.evaluate(() => getSelection()!.toString())).toBe('comet');
    await pressCommand(page, 'some-other-command');
    await page.waitForTimeout(500);
    expect(await tooltipBox(page)).toBeNull();
    await pressCommand(page, 'explain-term');
    await expect.poll(() => tooltipBox(page)).not.toBeNull();
    expect(await tooltipText(page)).toContain(bundledEntry('en', 'comet').short);
    expect(await page.evaluate(() => document.activeElement?.localName)).toBe('scipop-tooltip');
    // The term itself is drawn as the active one while its tooltip is open.
    expect(
      await page.evaluate(() =>
        [...CSS.highlights.get('scipop-term-active')!].map((r) =>
          r.startContainer.textContent!.slice(r.startOffset, r.endOffset),
        ),
      ),
    ).toEqual(['comet']);
    await page.keyboard.press('Escape');
    expect(await tooltipBox(page)).toBeNull();
  });
});
