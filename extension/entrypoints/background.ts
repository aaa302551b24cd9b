import '../zod-setup';
import bundle from 'virtual:scipop-glossary';
import { defineBackground } from 'wxt/utils/define-background';
import { browser } from '../browser';
import { createGlossaryService } from '../background/glossary-service';
import { createBackgroundHandlers, MENU_ID } from '../background/handlers';
import { createBackgroundListener } from '../messaging/background-protocol';
import { createImportedPackStore, PACKS_KEY } from '../settings/imported-packs';
import { createSettingsStore } from '../settings/store';
import { t } from '../ui/i18n';

export default defineBackground(() => {
  const handlers = createBackgroundHandlers({ tabs: browser.tabs, settings: createSettingsStore(browser.storage) });
  const glossary = createGlossaryService(bundle, createImportedPackStore(browser.storage));
  browser.runtime.onMessage.addListener(
    createBackgroundListener({
      glossary: () => glossary.payload(),
      entry: (m) => glossary.view(m.lang, m.id),
    }),
  );
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && PACKS_KEY in changes) glossary.invalidate();
  });
  browser.runtime.onInstalled.addListener(() => {
    void handlers.onInstalled();
    browser.contextMenus.create({ id: MENU_ID, title: t('menuExplain'), contexts: ['selection'] }, () => void browser.runtime.lastError);
  });
  browser.contextMenus.onClicked.addListener((info, tab) => void handlers.onMenuClick(info, tab));
  browser.commands.onCommand.addListener((command, tab) => void handlers.onCommand(command, tab));
});
