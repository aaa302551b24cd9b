import { FIELDS } from '../glossary/fields';

const HEADINGS: Record<string, string> = {
  physics: 'Physics',
  quantum: 'Quantum',
  astronomy: 'Astronomy & space',
  'earth-climate': 'Earth & climate',
  energy: 'Energy',
  chemistry: 'Chemistry',
  materials: 'Materials',
  biology: 'Biology',
  genetics: 'Genetics',
  medicine: 'Medicine & health',
  neuroscience: 'Neuroscience',
  'ai-computing': 'AI & computing',
  semiconductors: 'Semiconductors',
  'math-stats': 'Mathematics & statistics',
  engineering: 'Engineering',
};

/** The section a story goes under when neither its terms nor its source name a field. */
export const OTHER_FIELD = 'other';

/** The heading of a field's section (`earth-climate` → `Earth & climate`). */
export function fieldHeading(field: string): string {
  return HEADINGS[field] ?? 'More science';
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

/** The heading of a digest: `Science digest · Monday 7 December 2026` in the channel's time zone. */
export function digestHeading(at: number, timeZone: string, every: 'daily' | 'weekly' = 'daily'): string {
  const part = zonedParts(at, timeZone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const date = `${part('day')} ${part('month')} ${part('year')}`;
  return every === 'daily' ? `Science digest · ${part('weekday')} ${date}` : `Weekly science digest · week to ${date}`;
}
