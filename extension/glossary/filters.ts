import type { Settings } from '../settings/schema';
import type { FindOptions, Glossary } from './types';

/** The languages a choice in the settings covers, among those the glossary has. */
export function languagesFor(choice: Settings['languages'], available: readonly string[]): Set<string> {
  if (choice === 'both') return new Set(available);
  return new Set(
    available.filter((lang) => (choice === 'zh' ? lang === 'zh' || lang.startsWith('zh-') : !lang.startsWith('zh'))),
  );
}

/** The matcher filters that the reader's settings ask for on a page. */
export function findOptionsFor(settings: Settings, glossary: Glossary): FindOptions {
  return {
    langs: languagesFor(settings.languages, glossary.langs),
    fields: new Set(settings.fields),
    maxLevel: settings.maxLevel,
    skip: new Set(settings.known),
    firstOnly: settings.occurrences === 'first',
  };
}
