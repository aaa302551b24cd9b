import '../../zod-setup';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { browser } from '../../browser';
import { loadGlossary } from '../../glossary/bundle';
import type { GlossaryPack } from '../../../shared/glossary/schema';
import { startPage } from '../../content/page';
import { askBackground } from '../../messaging/background-protocol';
import { createContentListener } from '../../messaging/protocol';
import { createImportedPackStore, PACKS_KEY } from '../../settings/imported-packs';
import { createSettingsStore } from '../../settings/store';
import type { MatcherPayload } from '../../glossary/types';
import { t } from '../../ui/i18n';

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_idle',
  async main(ctx) {
    const settingsStore = createSettingsStore(browser.storage);
    const packStore = createImportedPackStore(browser.storage);
    // The glossary data stays in the background: a page receives the serialized matcher (one
    // message, no network) instead of parsing megabytes of script on every load.
    const [settings, imported, payload] = await Promise.all([settingsStore.get(), packStore.list(), fetchPayload()]);
    if (!payload || ctx.isInvalid) return;
    const view = async (lang: string, id: string) => (await askBackground(browser.runtime, { type: 'entry', lang, id })) ?? undefined;
    const load = (packs: GlossaryPack[]) => measured(() => loadGlossary(payload, packs, view));
    const page = startPage({
      doc: document,
      glossary: load(imported.map((p) => p.pack)),
      settings,
      t,
      markKnown: (id) => void settingsStore.update((s) => ({ known: s.known.includes(id) ? s.known : [...s.known, id] })),
    });
    ctx.onInvalidated(settingsStore.watch((next) => page.applySettings(next)));
    const onPacks = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && PACKS_KEY in changes) void packStore.list().then((list) => page.setGlossary(load(list.map((p) => p.pack))));
    };
    browser.storage.onChanged.addListener(onPacks);
    ctx.onInvalidated(() => browser.storage.onChanged.removeListener(onPacks));
    const onMessage = createContentListener({
      explain: (m) => page.explain(m.text),
      'page-glossary': () => page.pageGlossary(),
    });
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
    ctx.addEventListener(window, 'wxt:locationchange', () => page.relocate());
    ctx.onInvalidated(() => page.stop());
  },
});

/** The matcher from the background; a worker that is just starting may miss the first ask. */
async function fetchPayload(): Promise<MatcherPayload | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const payload = await askBackground(browser.runtime, { type: 'glossary' });
    if (payload) return payload;
    await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
  }
  return undefined;
}

/** Loading the glossary is main-thread work too: it gets its own measure, `scipop:load`. */
function measured<T>(load: () => T): T {
  const start = performance.now();
  const value = load();
  performance.measure('scipop:load', { start, end: performance.now() });
  return value;
}
