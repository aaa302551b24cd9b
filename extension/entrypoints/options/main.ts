import '../../zod-setup';
import { browser } from '../../browser';
import bundle from 'virtual:scipop-glossary';
import type { EntryInfo } from '../../glossary/types';
import type { BackgroundReplies } from '../../messaging/background-protocol';
import { createImportedPackStore } from '../../settings/imported-packs';
import { createSettingsStore } from '../../settings/store';
import { createSubscriptionStore } from '../../subscriptions/store';
import { localizeDocument } from '../../ui/i18n';
import { startOptions } from '../../ui/options';
import { startSubscriptionsSection } from '../../ui/subscriptions';

localizeDocument(document);
void startOptions({
  doc: document,
  entries: bundle.entries.map((json) => JSON.parse(json) as EntryInfo),
  settings: createSettingsStore(browser.storage),
  packs: createImportedPackStore(browser.storage),
});
void startSubscriptionsSection({
  doc: document,
  store: createSubscriptionStore(browser.storage),
  storage: browser.storage,
  check: async (url) => {
    try {
      return (await browser.runtime.sendMessage({ type: 'check-subscription', url })) as
        BackgroundReplies['check-subscription'] | undefined;
    } catch {
      return undefined;
    }
  },
  hash: location.hash,
  clearHash: () => history.replaceState(null, '', location.pathname + location.search),
});
