import { z } from 'zod';
import { FIELDS } from './fields';

export { FIELDS } from './fields';

/** The pack file format this code reads; bump it with a migration when the shape changes. */
export const PACK_FORMAT = 1;

/** One of {@link FIELDS}. */
export const FieldSchema = z.enum(FIELDS);
export type Field = z.infer<typeof FieldSchema>;

/**
 * How specialist a term is, so readers can hide what they already know:
 * 1 common (most adults have met it: DNA, vaccine), 2 informed (regular science news: exoplanet,
 * mRNA), 3 specialist (needs background: perovskite, CAR-T).
 */
export const LevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type Level = z.infer<typeof LevelSchema>;

/** Stable entry ids: lowercase slugs, unique within a language; one concept keeps one id across languages. */
export const EntryIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug (a-z, 0-9, single hyphens)');

/** A BCP 47 language tag of the kinds we ship (`en`, `zh-Hans`, `pt-BR`). */
export const LangSchema = z
  .string()
  .regex(/^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$/, 'must be a BCP 47 tag such as en or zh-Hans');

/** A reference a reader can follow (an encyclopedia or agency page). */
export const SourceSchema = z.object({
  title: z.string().trim().min(1, 'must not be empty'),
  url: z.string().min(1, 'must not be empty'),
});
export type Source = z.infer<typeof SourceSchema>;

const SurfaceFormSchema = z.string().trim().min(1, 'must not be empty').max(80, 'too long (at most 80 characters)');

/** One glossary entry: a term, its other surface forms, and its explanations. */
export const GlossaryEntrySchema = z.object({
  id: EntryIdSchema,
  term: SurfaceFormSchema,
  /** Other surface forms: abbreviations, spellings, irregular plurals, the full name of an acronym. */
  aliases: z.array(SurfaceFormSchema).default([]),
  /** Longer phrases containing one of this entry's forms that must not count as it ("cell phone" for "cell"). */
  avoid: z.array(SurfaceFormSchema).default([]),
  fields: z.array(FieldSchema).min(1, 'needs at least one field'),
  level: LevelSchema,
  /** One or two plain sentences: at most 160 characters in English, 80 in Chinese. */
  short: z.string().trim().min(1, 'must not be empty'),
  /** A paragraph for readers who want more: why it matters. */
  long: z.string().trim().min(1, 'must not be empty'),
  related: z.array(EntryIdSchema).default([]),
  sources: z.array(SourceSchema).min(1, 'needs at least one source'),
  /** When an editor last checked the entry's facts against its sources (YYYY-MM-DD). */
  reviewed: z.iso.date('must be a date as YYYY-MM-DD').optional(),
  /**
   * The facts age (a mission's status, a record, a count, an approval): `scipop glossary stale`
   * lists volatile entries not reviewed lately.
   */
  volatile: z.boolean().optional(),
  /**
   * Forms of this entry (its term or aliases) that are ambiguous in ordinary text and count only
   * with context: another term of the entry's fields nearby, in the same paragraph or item.
   */
  needsContext: z.array(SurfaceFormSchema).optional(),
});
export type GlossaryEntry = z.infer<typeof GlossaryEntrySchema>;

/** A glossary pack file: metadata and entries in one language. */
export const GlossaryPackSchema = z.object({
  format: z.literal(PACK_FORMAT, { error: `must be ${PACK_FORMAT}` }),
  id: EntryIdSchema,
  title: z.string().trim().min(1, 'must not be empty'),
  lang: LangSchema,
  revision: z.number().int().min(1),
  license: z.string().trim().min(1, 'must not be empty'),
  entries: z.array(GlossaryEntrySchema),
});
export type GlossaryPack = z.infer<typeof GlossaryPackSchema>;

/** Whether a language is written without spaces between words (Chinese, Japanese, Thai…). */
export function isUnspacedLang(lang: string): boolean {
  return /^(?:zh|ja|th|lo|km|my)(?:-|$)/.test(lang);
}

/** The longest `short` allowed for a language, in characters (code points). */
export function shortLimit(lang: string): number {
  return isUnspacedLang(lang) ? 80 : 160;
}

/** The longest `long` allowed for a language, in characters (code points). */
export function longLimit(lang: string): number {
  return isUnspacedLang(lang) ? 400 : 900;
}
