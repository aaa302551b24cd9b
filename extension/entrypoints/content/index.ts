import '../../zod-setup';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { browser } from '../../browser';
import bundle from 'virtual:scipop-glossary';
import { loadGlossary } from '../../glossary/bundle';
import { startPage } from '../../content/page';
import { createContentListener } from '../../messaging/protocol';
import { createImportedPackStore, PACKS_KEY } from '../../settings/imported-packs';
import { createSettingsStore } from '../../settings/store';
import { t } from '../../ui/i18n';

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_idle',
  async main(ctx) {
    const settingsStore = createSettingsStore(browser.storage);
    const packStore = createImportedPackStore(browser.storage);
    const [settings, imported] = await Promise.all([settingsStore.get(), packStore.list()]);
    const glossary = measured(() => loadGlossary(bundle, imported.map((p) => p.pack)));
    const page = startPage({
      doc: document,
      glossary,
      settings,
      t,
      markKnown: (id) => void settingsStore.update((s) => ({ known: s.known.includes(id) ? s.known : [...s.known, id] })),
    });
    ctx.onInvalidated(settingsStore.watch((next) => page.applySettings(next)));
    const onPacks = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && PACKS_KEY in changes) void packStore.list().then((list) => page.setGlossary(measured(() => loadGlossary(bundle, list.map((p) => p.pack)))));
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

/** Loading the glossary is main-thread work too: it gets its own measure, `scipop:load`. */
function measured<T>(load: () => T): T {
  const start = performance.now();
  const value = load();
  performance.measure('scipop:load', { start, end: performance.now() });
  return value;
}
