import { ChannelRulesSchema, compileRules, type ChannelRules, type CompiledRules } from '../../shared/curation';

/** The Channels page's form fields, in the order the page shows them, with their labels. */
export const RULE_FIELDS = {
  sources: 'Sources',
  tags: 'Source tags',
  include: 'Keywords that must occur',
  exclude: 'Keywords that must not occur',
  includeRegex: 'Regexes that must match',
  excludeRegex: 'Regexes that must not match',
  langs: 'Languages',
  maxAgeHours: 'Maximum age (hours)',
  perHour: 'Posts per hour at most',
  perDay: 'Posts per day at most',
  approval: 'Approval',
} as const;
/** A field of the rules form. */
export type RuleField = keyof typeof RULE_FIELDS;

/** The form as typed (every field a string), kept to show it again with its problems. */
export type RuleFormValues = Record<RuleField, string>;

/** One problem of the form: the field it is about and what to do. */
export interface RuleProblem {
  field: RuleField;
  text: string;
}

/** A read form: the rules ready to preview or save, or every problem found (never just the first). */
export type RuleFormResult =
  | { ok: true; rules: ChannelRules; compiled: CompiledRules; values: RuleFormValues }
  | { ok: false; problems: RuleProblem[]; values: RuleFormValues };

const LISTS = ['sources', 'tags', 'include', 'exclude', 'includeRegex', 'excludeRegex'] as const;

/** The form's values for stored rules (rules that no longer parse show as an empty form). */
export function formValuesOf(rules: unknown): RuleFormValues {
  const parsed = ChannelRulesSchema.safeParse(rules ?? {});
  const r = parsed.success ? parsed.data : ChannelRulesSchema.parse({});
  return {
    sources: r.sources.join('\n'),
    tags: r.tags.join('\n'),
    include: r.include.join('\n'),
    exclude: r.exclude.join('\n'),
    includeRegex: r.includeRegex.join('\n'),
    excludeRegex: r.excludeRegex.join('\n'),
    langs: r.langs.join(', '),
    maxAgeHours: r.maxAgeHours === undefined ? '' : String(r.maxAgeHours),
    perHour: r.caps.perHour === undefined ? '' : String(r.caps.perHour),
    perDay: r.caps.perDay === undefined ? '' : String(r.caps.perDay),
    approval: r.approval,
  };
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

// compileRules names a list entry `includeRegex[0]` and a nested key `caps.perHour`.
const FIELD_OF_PATH: Record<string, RuleField> = { 'caps.perHour': 'perHour', 'caps.perDay': 'perDay' };

/**
 * Reads the posted form into rules with the curation's own validation (compileRules): lists are
 * one entry a line (languages: separated by commas or spaces), numbers are optional, and a bad
 * regex says which line and what is wrong, in RE2's words.
 */
export function readRuleForm(body: Record<string, unknown>): RuleFormResult {
  const values = Object.fromEntries(
    Object.keys(RULE_FIELDS).map((k) => [k, typeof body[k] === 'string' ? body[k] : '']),
  ) as RuleFormValues;
  const problems: RuleProblem[] = [];
  const number = (field: 'maxAgeHours' | 'perHour' | 'perDay', whole: boolean): number | undefined => {
    const text = values[field].trim();
    if (!text) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n))) {
      problems.push({
        field,
        text: `${RULE_FIELDS[field]}: give ${whole ? 'a whole number' : 'a number'} above 0, or leave it empty for no limit (it says “${text}”).`,
      });
      return undefined;
    }
    return n;
  };
  const maxAgeHours = number('maxAgeHours', false);
  const perHour = number('perHour', true);
  const perDay = number('perDay', true);
  const input = {
    ...Object.fromEntries(LISTS.map((k) => [k, lines(values[k])])),
    langs: values.langs.split(/[\s,]+/).filter(Boolean),
    ...(maxAgeHours !== undefined ? { maxAgeHours } : {}),
    caps: { ...(perHour !== undefined ? { perHour } : {}), ...(perDay !== undefined ? { perDay } : {}) },
    approval: values.approval,
  };
  const compiled = compileRules(input);
  if (!compiled.ok)
    for (const error of compiled.errors) {
      const m = /^(\w+)(?:\[(\d+)\])?((?:\.\w+)*): (.*)$/s.exec(error);
      const path = m ? `${m[1]}${m[3]}` : '';
      const field = FIELD_OF_PATH[path] ?? (m && m[1]! in RULE_FIELDS ? (m[1] as RuleField) : 'approval');
      const line = m?.[2] !== undefined ? `, line ${Number(m[2]) + 1}` : '';
      const text =
        field === 'approval' && m?.[1] === 'approval'
          ? 'choose who must approve posts: sources not marked trusted, every post, or nobody'
          : (m?.[4] ?? error);
      problems.push({ field, text: `${RULE_FIELDS[field]}${line}: ${text}` });
    }
  if (problems.length > 0 || !compiled.ok) return { ok: false, problems, values };
  return { ok: true, rules: compiled.value.rules, compiled: compiled.value, values };
}
