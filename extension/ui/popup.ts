import type { EntryIndex } from '../glossary/types';
import { sendToContent, type TabsLike } from '../messaging/protocol';
import type { SettingsStore } from '../settings/store';
import type { Subscription } from '../subscriptions/store';
import { entryItem } from './entry-item';
import { t } from './i18n';
import { subscriptionStatus } from './subscriptions';

export interface PopupOptions {
  doc: Document;
  glossary: EntryIndex;
  settings: SettingsStore;
  tabs: TabsLike & { query(q: { active: boolean; currentWindow: boolean }): Promise<{ id?: number }[]> };
  tabId?: number;
  openOptions: () => void;
  /** The community-glossary subscriptions, with their status. */
  subscriptions?: readonly Subscription[];
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
  renderSubscriptions(doc, opts.subscriptions ?? []);

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

/** Each subscription's name, revision, last check and, after a failed update, why. */
function renderSubscriptions(doc: Document, subs: readonly Subscription[]): void {
  const section = doc.getElementById('community')!;
  section.hidden = subs.length === 0;
  doc.getElementById('subscriptions')!.replaceChildren(
    ...subs.map((sub) => {
      const li = doc.createElement('li');
      const name = doc.createElement('strong');
      name.textContent = sub.name ?? sub.url;
      const status = subscriptionStatus(sub);
      const line = doc.createElement('p');
      line.className = 'muted';
      line.textContent = status.line;
      li.append(name, line);
      if (status.error) {
        const error = doc.createElement('p');
        error.className = 'error';
        error.textContent = status.error;
        li.append(error);
      }
      return li;
    }),
  );
}
