import { z } from 'zod';
import { EntryIdSchema, FIELDS, FieldSchema, LevelSchema } from '../../shared/glossary/schema';

/** The shape of the stored settings this code writes; older shapes are migrated step by step. */
export const SETTINGS_VERSION = 1;

/** Which glossaries to look in: English, Chinese or both. */
export const LanguageChoiceSchema = z.enum(['en', 'zh', 'both']);
export type LanguageChoice = z.infer<typeof LanguageChoiceSchema>;

/** How a found term looks on the page; `none` keeps hover working with nothing drawn. */
export const HighlightStyleSchema = z.enum(['underline', 'dotted', 'background', 'none']);
export type HighlightStyle = z.infer<typeof HighlightStyleSchema>;

/** A site is its host name, lower case, without a port (`www.bbc.co.uk`). */
export const SiteSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9.-]+$|^\[[0-9a-f:]+\]$/, 'must be a host name such as example.org');

/** Everything the reader can change, as stored in `storage.local` under {@link SETTINGS_KEY}. */
export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** The switch for everywhere. */
  enabled: z.boolean(),
  languages: LanguageChoiceSchema,
  /** Fields whose terms are shown; an entry shows when any of its fields is on. */
  fields: z.array(FieldSchema),
  /** The most specialist level shown (1 common … 3 specialist). */
  maxLevel: LevelSchema,
  /** `first`: only the first occurrence of each term on a page; `every`: all of them. */
  occurrences: z.enum(['first', 'every']),
  style: HighlightStyleSchema,
  /** A CSS colour for the highlight (`#rrggbb`). */
  color: z.string().regex(/^#[0-9a-f]{6}$/i, 'must be a colour such as #3b6fd8'),
  /** Milliseconds the pointer rests on a term before its explanation opens. */
  hoverDelay: z.number().int().min(0).max(3000),
  /** Entry ids the reader marked "I know this"; one concept has one id in every language. */
  known: z.array(EntryIdSchema),
  /** Sites where SciPop is off. */
  disabledSites: z.array(SiteSchema),
});
export type Settings = z.infer<typeof SettingsSchema>;

export { SETTINGS_KEY } from './keys';

/** What a new install starts with. */
export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  enabled: true,
  languages: 'both',
  fields: [...FIELDS],
  maxLevel: 3,
  occurrences: 'every',
  style: 'underline',
  color: '#3b6fd8',
  hoverDelay: 250,
  known: [],
  disabledSites: [],
};
