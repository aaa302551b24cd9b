import '../zod-setup';
import bundle from 'virtual:scipop-glossary';
import { defineBackground } from 'wxt/utils/define-background';
import { browser } from '../browser';
import { createGlossaryService } from '../background/glossary-service';
import { createBackgroundHandlers, MENU_ID } from '../background/handlers';
import { createBackgroundListener } from '../messaging/background-protocol';
import { createImportedPackStore, PACKS_KEY } from '../settings/imported-packs';
import { createSettingsStore } from '../settings/store';
import { createCommunityAsker } from '../subscriptions/ask';
import { createSubscriptionStore, SUBSCRIBED_KEY } from '../subscriptions/store';
import { createSubscriptionUpdater, UPDATE_ALARM } from '../subscriptions/updater';
import { t } from '../ui/i18n';

export default defineBackground(() => {
  const settings = createSettingsStore(browser.storage);
  const handlers = createBackgroundHandlers({ tabs: browser.tabs, settings });
  const subscriptions = createSubscriptionStore(browser.storage);
  const updater = createSubscriptionUpdater({ store: subscriptions, alarms: browser.alarms });
  const asker = createCommunityAsker({ store: subscriptions });
  const glossary = createGlossaryService(bundle, createImportedPackStore(browser.storage), subscriptions);
  // Pages carry no zod (it cost each page a long task at injection): the packs are validated and
  // compiled, and the settings migrated and validated, here, and pages ask for the results.
  browser.runtime.onMessage.addListener(
    createBackgroundListener({
      glossary: () => glossary.payload(),
      entry: (m) => glossary.view(m.lang, m.id),
      settings: () => settings.get(),
      know: (m) => settings.update((s) => ({ known: s.known.includes(m.id) ? s.known : [...s.known, m.id] })),
      'check-subscription': async (m) => {
        const result = await updater.check(m.url);
        if (!result) return { ok: false, error: 'not subscribed' };
        return result.ok ? { ok: true } : { ok: false, error: result.error };
      },
      'ask-offer': () => asker.offer(),
      'ask-community': (m) => asker.ask(m.text, m.lang, m.consent),
    }),
  );
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && (PACKS_KEY in changes || SUBSCRIBED_KEY in changes)) glossary.invalidate();
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === UPDATE_ALARM) void updater.checkDue();
  });
  // A worker that starts after the browser was closed past a due check runs it now.
  void updater.checkDue();
  browser.runtime.onInstalled.addListener(() => {
    void handlers.onInstalled();
    browser.contextMenus.create(
      { id: MENU_ID, title: t('menuExplain'), contexts: ['selection'] },
      () => void browser.runtime.lastError,
    );
  });
  browser.contextMenus.onClicked.addListener((info, tab) => void handlers.onMenuClick(info, tab));
  browser.commands.onCommand.addListener((command, tab) => void handlers.onCommand(command, tab));
});
