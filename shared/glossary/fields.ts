// Plain constants of the pack format, kept free of zod so that code which only needs them (the
// matcher, and through it the extension's content script) does not load the schema library.

/** The fields a glossary entry can belong to (news desks' beats, not a textbook's chapters). */
export const FIELDS = [
  'physics',
  'quantum',
  'astronomy',
  'earth-climate',
  'energy',
  'chemistry',
  'materials',
  'biology',
  'genetics',
  'medicine',
  'neuroscience',
  'ai-computing',
  'semiconductors',
  'math-stats',
  'engineering',
] as const;

/** One of {@link FIELDS}. */
export type Field = (typeof FIELDS)[number];

/** How specialist a term is: 1 common, 2 informed, 3 specialist (see LevelSchema). */
export type Level = 1 | 2 | 3;
