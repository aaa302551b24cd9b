import '../../zod-setup';
import { browser } from '../../browser';
import bundle from 'virtual:scipop-glossary';
import { layerOf } from '../../background/glossary-service';
import { createEntryIndex } from '../../glossary/bundle';
import { createImportedPackStore } from '../../settings/imported-packs';
import { createSettingsStore } from '../../settings/store';
import { createSubscriptionStore } from '../../subscriptions/store';
import { localizeDocument } from '../../ui/i18n';
import { startPopup } from '../../ui/popup';

localizeDocument(document);
const storage = browser.storage;
const subscriptions = createSubscriptionStore(storage);
void Promise.all([createImportedPackStore(storage).list(), subscriptions.list(), subscriptions.copies()]).then(
  ([imported, subs, copies]) =>
    startPopup({
      doc: document,
      glossary: createEntryIndex(
        bundle,
        imported.map((p) => p.pack),
        layerOf(copies),
      ),
      settings: createSettingsStore(storage),
      tabs: browser.tabs,
      // ?tab=ID shows the glossary of another tab (the popup opened as a page, in tests).
      tabId: Number(new URLSearchParams(location.search).get('tab')) || undefined,
      openOptions: () => void browser.runtime.openOptionsPage(),
      subscriptions: subs,
    }),
);
