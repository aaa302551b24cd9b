import { FIELDS } from '../glossary/fields';
import type { ChatLang } from '../i18n/lang';
import { CATALOGUES, translate, type MessageKey } from '../i18n/translate';

/** The section a story goes under when neither its terms nor its source name a field. */
export const OTHER_FIELD = 'other';

/** The heading of a field's section (`earth-climate` → `Earth & climate`, `地球与气候`). */
export function fieldHeading(field: string, lang: ChatLang = 'en'): string {
  const key = `field.${field}`;
  return translate(lang, key in CATALOGUES.en ? (key as MessageKey) : 'field.other');
}

/** The glossary field a hashtag or tag names (`#earth_climate`, `Earth-Climate`), if any. */
export function fieldOf(tag: string): string | undefined {
  const slug = tag.replace(/^#/, '').toLowerCase().replace(/_/g, '-');
  return (FIELDS as readonly string[]).includes(slug) ? slug : undefined;
}

/**
 * The parts of `at` in `timeZone` (en-GB), by type: `part('weekday')` is `Monday`. Texts are
 * assembled from parts because ICU versions differ on the punctuation between them.
 */
export function zonedParts(
  at: number,
  timeZone: string,
  fields: Intl.DateTimeFormatOptions,
): (type: Intl.DateTimeFormatPartTypes) => string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, ...fields }).formatToParts(new Date(at));
  return (type) => parts.find((p) => p.type === type)?.value ?? '';
}

/**
 * The heading of a digest in the channel's time zone and language: `Science digest · Monday 7
 * December 2026`, `科学摘要 · 2026年12月7日 星期一`.
 */
export function digestHeading(
  at: number,
  timeZone: string,
  every: 'daily' | 'weekly' = 'daily',
  lang: ChatLang = 'en',
): string {
  const part = zonedParts(at, timeZone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const num = zonedParts(at, timeZone, { day: 'numeric', month: 'numeric', year: 'numeric' });
  // Chinese weekdays from the day's index, so no ICU locale data beyond en-GB is needed.
  const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
  const params = {
    weekday:
      lang === 'en' ? part('weekday') : translate(lang, `weekday.${weekdays.indexOf(part('weekday'))}` as MessageKey),
    day: part('day'),
    month: lang === 'en' ? part('month') : Number(num('month')),
    year: part('year'),
  };
  return translate(lang, every === 'daily' ? 'digest.heading.daily' : 'digest.heading.weekly', params);
}
