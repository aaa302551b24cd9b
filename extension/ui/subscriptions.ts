import type { BackgroundReplies } from '../messaging/background-protocol';
import type { Subscription, SubscriptionStore } from '../subscriptions/store';
import { SUBSCRIPTIONS_KEY } from '../subscriptions/store';
import { checkAddress, readSubscribeHash } from '../subscriptions/address';
import type { StorageLike } from '../settings/store';
import { t } from './i18n';

export interface SubscriptionsSectionOptions {
  doc: Document;
  store: SubscriptionStore;
  storage: Pick<StorageLike, 'onChanged'>;
  /** Asks the background to check a subscription now. */
  check(url: string): Promise<BackgroundReplies['check-subscription'] | undefined>;
  /** The page's address hash (`#subscribe=…&key=…`), and a way to clear it once used. */
  hash: string;
  clearHash(): void;
}

/** A subscription's status line: revision, last check, and the reason the last update failed. */
export function subscriptionStatus(sub: Subscription): { line: string; error?: string } {
  const parts = [
    sub.revision === undefined ? t('subscriptionNoCopy') : t('subscriptionRevision', String(sub.revision)),
    sub.lastCheck === undefined
      ? t('subscriptionNeverChecked')
      : t('subscriptionChecked', new Date(sub.lastCheck).toLocaleString()),
  ];
  return { line: parts.join(' · '), error: sub.lastError && t('subscriptionError', sub.lastError) };
}

/** The options page's "Community glossaries": subscribe (by hand or from a link), list, check, remove. */
export async function startSubscriptionsSection(opts: SubscriptionsSectionOptions): Promise<void> {
  const { doc, store } = opts;
  const $ = <T extends HTMLElement>(id: string) => doc.getElementById(id) as T;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) => {
    const e = doc.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (className) e.className = className;
    return e;
  };
  const url = $<HTMLInputElement>('sub-url');
  const key = $<HTMLInputElement>('sub-key');
  const status = $('subscribe-status');
  const error = $('subscribe-error');

  const fromLink = readSubscribeHash(opts.hash);
  if (fromLink) {
    url.value = fromLink.url;
    key.value = fromLink.key;
    status.textContent = t('optionsSubscribeReady', fromLink.url);
    $('subscribe').scrollIntoView({ block: 'center' });
  }

  $<HTMLFormElement>('subscribe-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const address = checkAddress(url.value, key.value);
    if (!address.ok) {
      status.textContent = '';
      error.textContent = address.error;
      return;
    }
    status.textContent = t('optionsSubscribing', address.value.url);
    await store.add(address.value, Date.now());
    if (fromLink) opts.clearHash();
    url.value = '';
    key.value = '';
    await render();
    const result = await opts.check(address.value.url);
    const sub = (await store.list()).find((s) => s.url === address.value.url);
    if (result?.ok) status.textContent = t('optionsSubscribed', sub?.name ?? address.value.url);
    else {
      status.textContent = '';
      error.textContent = t('optionsSubscribeFailed', result?.error ?? sub?.lastError ?? '?');
    }
    await render();
  });

  async function render() {
    const [subs, indexes] = await Promise.all([store.list(), store.indexes()]);
    const list = $('subscriptions');
    if (subs.length === 0) {
      list.replaceChildren(el('li', t('optionsCommunityEmpty'), 'muted'));
      return;
    }
    list.replaceChildren(
      ...subs.map((sub) => {
        const li = el('li');
        li.dataset.url = sub.url;
        const { line, error: failed } = subscriptionStatus(sub);
        const name = el('strong', sub.name ?? sub.url);
        li.append(name, el('p', sub.url, 'muted'), el('p', line, 'status'));
        if (failed) li.append(el('p', failed, 'error'));
        if (indexes.get(sub.url)?.ask) {
          const label = el('label');
          const box = el('input');
          box.type = 'checkbox';
          box.checked = sub.askConsent;
          box.addEventListener('change', () => void store.record(sub.url, { askConsent: box.checked }));
          label.append(box, ` ${t('subscriptionAskConsent')}`);
          li.append(label);
        }
        const actions = el('p', undefined, 'actions');
        const button = (text: string, onClick: () => Promise<unknown>) => {
          const b = el('button', text, 'link');
          b.type = 'button';
          b.setAttribute('aria-label', `${text}: ${sub.name ?? sub.url}`);
          b.addEventListener('click', async () => {
            b.disabled = true;
            await onClick();
            await render();
          });
          actions.append(b);
        };
        button(t('optionsCheckNow'), () => opts.check(sub.url));
        button(t('optionsUnsubscribe'), () => store.remove(sub.url));
        li.append(actions);
        return li;
      }),
    );
  }

  opts.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && SUBSCRIPTIONS_KEY in changes) void render();
  });
  await render();
}
