import type { EntryIndex } from '../glossary/types';
import { sendToContent, type TabsLike } from '../messaging/protocol';
import type { SettingsStore } from '../settings/store';
import { entryItem } from './entry-item';
import { t } from './i18n';

export interface PopupOptions {
  doc: Document;
  glossary: EntryIndex;
  settings: SettingsStore;
  tabs: TabsLike & { query(q: { active: boolean; currentWindow: boolean }): Promise<{ id?: number }[]> };
  tabId?: number;
  openOptions: () => void;
}

/** The popup: the page's glossary in order of appearance, and the two switches. */
export async function startPopup(opts: PopupOptions): Promise<void> {
  const { doc, glossary, settings } = opts;
  const $ = <T extends HTMLElement>(id: string) => doc.getElementById(id) as T;
  const site = $<HTMLInputElement>('site');
  const global = $<HTMLInputElement>('global');
  const status = $('status');
  const list = $('terms');
  $('options').addEventListener('click', opts.openOptions);

  const tabId = opts.tabId ?? (await opts.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  const page = tabId === undefined ? undefined : await sendToContent(opts.tabs, tabId, { type: 'page-glossary' });
  let current = await settings.get();
  const host = page?.host ?? '';
  $('host').textContent = host ? `(${host})` : '';
  site.disabled = !host;

  const render = () => {
    site.checked = host !== '' && !current.disabledSites.includes(host);
    global.checked = current.enabled;
  };
  render();
  site.addEventListener('change', async () => {
    current = await settings.update((s) => ({
      disabledSites: site.checked
        ? s.disabledSites.filter((h) => h !== host)
        : [...new Set([...s.disabledSites, host])],
    }));
    render();
  });
  global.addEventListener('change', async () => {
    current = await settings.update({ enabled: global.checked });
    render();
  });

  if (!page) {
    status.textContent = t('popupUnavailable');
    return;
  }
  if (!page.active) {
    status.textContent = t('popupOff');
    return;
  }
  const items = page.terms.flatMap((term) => {
    const entry = glossary.entry(term.lang, term.id);
    return entry ? [entryItem(doc, entry, term.count)] : [];
  });
  list.replaceChildren(...items);
  status.textContent = items.length === 0 ? t('popupNoTerms') : t('popupCount', String(items.length));
}
