import en from './catalogue/en.json';
import zhHans from './catalogue/zh-Hans.json';
import type { ChatLang } from './lang';

/**
 * A text of the bots' catalogue: a string with `{name}` parameters, or plural forms by CLDR
 * category (`one`, `other`) chosen by the parameter `n`.
 */
export type CatalogueText = string | { one?: string; other: string };

/** Every text the bots say, by key, in one language. English is the reference: every key is there first. */
export type Catalogue = Record<MessageKey, CatalogueText>;

/** A key of the catalogue (`add.added`, `post.keyTerms`). */
export type MessageKey = keyof typeof en;

/** The parameters a text takes: `{title}` → `{ title: '…' }`. Numbers are written as they are. */
export type MessageParams = Record<string, string | number>;

/** The catalogue of each language the bots speak (shared/i18n/catalogue/*.json). */
export const CATALOGUES: Record<ChatLang, Catalogue> = {
  en: en as Catalogue,
  'zh-Hans': zhHans as Catalogue,
};

const plural = new Map<ChatLang, Intl.PluralRules>();

/**
 * The text of `key` in `lang` with its parameters filled in. A parameter the text names but the
 * call does not give stays as `{name}` (the catalogue test finds such mistakes, not the reader).
 */
export function translate(lang: ChatLang, key: MessageKey, params: MessageParams = {}): string {
  const entry = CATALOGUES[lang][key] ?? CATALOGUES.en[key];
  let text: string;
  if (typeof entry === 'string') text = entry;
  else {
    let rules = plural.get(lang);
    if (!rules) plural.set(lang, (rules = new Intl.PluralRules(lang)));
    const n = Number(params.n ?? 0);
    text = (rules.select(n) === 'one' ? entry.one : undefined) ?? entry.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The `{name}` parameters a text takes (all plural forms together), for the catalogue's own test. */
export function paramsOf(text: CatalogueText): string[] {
  const texts = typeof text === 'string' ? [text] : Object.values(text);
  return [...new Set(texts.flatMap((t) => [...(t ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();
}
