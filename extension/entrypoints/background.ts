import '../zod-setup';
import { defineBackground } from 'wxt/utils/define-background';
import { browser } from '../browser';
import { createBackgroundHandlers, MENU_ID } from '../background/handlers';
import { createSettingsStore } from '../settings/store';
import { t } from '../ui/i18n';

export default defineBackground(() => {
  const handlers = createBackgroundHandlers({ tabs: browser.tabs, settings: createSettingsStore(browser.storage) });
  browser.runtime.onInstalled.addListener(() => {
    void handlers.onInstalled();
    browser.contextMenus.create({ id: MENU_ID, title: t('menuExplain'), contexts: ['selection'] }, () => void browser.runtime.lastError);
  });
  browser.contextMenus.onClicked.addListener((info, tab) => void handlers.onMenuClick(info, tab));
  browser.commands.onCommand.addListener((command, tab) => void handlers.onCommand(command, tab));
});
