import { browser } from '../browser';

/** A UI string in the browser's language (from _locales); the key itself when it is missing. */
export function t(key: string, substitutions?: string | string[]): string {
  const get = browser.i18n.getMessage as (name: string, subs?: string | string[]) => string;
  return get(key, substitutions) || key;
}

/** Fills every `[data-i18n]` element's text from its key, and the page's language. */
export function localizeDocument(doc: Document): void {
  doc.documentElement.lang = browser.i18n.getUILanguage();
  for (const el of doc.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n!);
  for (const el of doc.querySelectorAll<HTMLElement>('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle!);
}
