import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createContentListener, readContentMessage } from '../messaging/content-side';
import { ContentMessageSchema, sendToContent, type ContentMessage } from '../messaging/protocol';
import { SETTINGS_KEY } from '../settings/schema';
import { createSettingsStore } from '../settings/store';
import { createBackgroundHandlers, EXPLAIN_COMMAND, MENU_ID } from './handlers';

// The fake browser has no tabs.sendMessage: deliver tab messages through its runtime.onMessage,
// where the content script's real listener is registered, remembering which tab each went to.
const delivered: { tabId: number; message: unknown }[] = [];
const tabs = {
  query: (q: { active: boolean; currentWindow: boolean }) => fakeBrowser.tabs.query(q),
  async sendMessage(tabId: number, message: unknown) {
    delivered.push({ tabId, message });
    return fakeBrowser.runtime.sendMessage(message);
  },
};

function listenAsContentScript(found: Record<string, string>) {
  const listener = createContentListener({
    explain: (m) => (m.text && found[m.text] ? { shown: true, id: found[m.text] } : { shown: false }),
    'page-glossary': () => ({ host: 'example.org', active: true, terms: [{ id: 'qubit', lang: 'en', count: 2 }] }),
  });
  fakeBrowser.runtime.onMessage.addListener(listener as never);
}

beforeEach(() => {
  fakeBrowser.reset();
  delivered.length = 0;
});

describe('background ↔ content messaging', () => {
  it("sends the context menu's selection to the clicked tab and reports whether a tooltip opened", async () => {
    listenAsContentScript({ 'a qubit': 'qubit' });
    const handlers = createBackgroundHandlers({ tabs, settings: createSettingsStore(fakeBrowser.storage) });
    expect(await handlers.onMenuClick({ menuItemId: MENU_ID, selectionText: 'a qubit' }, { id: 7 })).toBe(true);
    expect(await handlers.onMenuClick({ menuItemId: MENU_ID, selectionText: 'plain words' }, { id: 7 })).toBe(false);
    expect(await handlers.onMenuClick({ menuItemId: 'other', selectionText: 'a qubit' }, { id: 7 })).toBe(false);
    expect(delivered).toEqual([
      { tabId: 7, message: { type: 'explain', text: 'a qubit' } },
      { tabId: 7, message: { type: 'explain', text: 'plain words' } },
    ]);
  });

  it('sends the keyboard command to the active tab of the current window when the event carries none', async () => {
    listenAsContentScript({});
    const tab = await fakeBrowser.tabs.create({ url: 'https://example.org/b' });
    // The fake browser cannot make a created tab active, so this seam answers as the browser would.
    const queries: unknown[] = [];
    const activeTabs = {
      ...tabs,
      query: async (q: { active: boolean; currentWindow: boolean }) => (queries.push(q), [tab]),
    };
    const handlers = createBackgroundHandlers({ tabs: activeTabs, settings: createSettingsStore(fakeBrowser.storage) });
    await handlers.onCommand(EXPLAIN_COMMAND);
    await handlers.onCommand('something-else');
    expect(queries).toEqual([{ active: true, currentWindow: true }]);
    expect(delivered).toEqual([{ tabId: tab.id, message: { type: 'explain' } }]);
  });

  it('answers the popup with the page glossary, validated', async () => {
    listenAsContentScript({});
    expect(await sendToContent(tabs, 3, { type: 'page-glossary' })).toEqual({
      host: 'example.org',
      active: true,
      terms: [{ id: 'qubit', lang: 'en', count: 2 }],
    });
  });

  it('gives undefined for a tab without a content script or with a malformed reply', async () => {
    expect(await sendToContent(tabs, 3, { type: 'page-glossary' })).toBeUndefined();
    fakeBrowser.runtime.onMessage.addListener((() => Promise.resolve({ host: 5 })) as never);
    expect(await sendToContent(tabs, 3, { type: 'page-glossary' })).toBeUndefined();
  });

  it('the content listener ignores messages that fail validation', async () => {
    const listener = createContentListener({
      explain: () => ({ shown: true }),
      'page-glossary': () => ({ host: '', active: false, terms: [] }),
    });
    for (const junk of [
      null,
      'explain',
      { type: 'explain', text: 5 },
      { type: 'delete-everything' },
      { type: 'explain', text: 'x'.repeat(2001) },
    ]) {
      expect(listener(junk)).toBeUndefined();
    }
    expect(await listener({ type: 'explain' } satisfies ContentMessage)).toEqual({ shown: true });
  });

  it("the content script's zod-free check accepts exactly what the schema accepts, and keeps no extra keys", () => {
    const cases: unknown[] = [
      null,
      undefined,
      7,
      'explain',
      [],
      {},
      { type: 'EXPLAIN' },
      { type: 'delete-everything' },
      { type: 'explain' },
      { type: 'explain', text: '' },
      { type: 'explain', text: 'a qubit' },
      { type: 'explain', text: undefined },
      { type: 'explain', text: null },
      { type: 'explain', text: 5 },
      { type: 'explain', text: 'x'.repeat(2000) },
      { type: 'explain', text: 'x'.repeat(2001) },
      { type: 'explain', text: 'a', extra: 1 },
      { type: 'page-glossary' },
      { type: 'page-glossary', text: 'a' },
    ];
    for (const message of cases) {
      const parsed = ContentMessageSchema.safeParse(message);
      expect(readContentMessage(message), JSON.stringify(message)).toEqual(parsed.success ? parsed.data : undefined);
    }
  });

  it('stores the settings migrated to this version on install', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { maxLevel: 2 } });
    await createBackgroundHandlers({ tabs, settings: createSettingsStore(fakeBrowser.storage) }).onInstalled();
    expect((await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]).toMatchObject({
      version: 1,
      maxLevel: 2,
      enabled: true,
    });
  });
});
