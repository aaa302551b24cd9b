import { compileRules } from './curate';
import { ChannelRulesSchema, type ChannelRules } from './rules';

/**
 * The keyword and regex filters moderators edit from a chat (`/filter` on Telegram,
 * `/scipop filter` on Discord): the platform parses its own command, this applies and describes it.
 */
export const FILTER_KINDS = {
  include: 'include',
  exclude: 'exclude',
  'include-regex': 'includeRegex',
  'exclude-regex': 'excludeRegex',
} as const;
/** A filter kind as moderators type it. */
export type FilterKind = keyof typeof FILTER_KINDS;

export const isFilterKind = (kind: string | undefined): kind is FilterKind =>
  kind !== undefined && Object.hasOwn(FILTER_KINDS, kind);

/** Adds or removes one filter value, or clears them all; a string is the problem to tell the moderator (bad regexes included). */
export function editFilters(
  rules: ChannelRules,
  edit: { action: 'clear' } | { action: 'add' | 'remove'; kind: FilterKind; value: string },
): ChannelRules | string {
  if (edit.action === 'clear') return { ...rules, include: [], exclude: [], includeRegex: [], excludeRegex: [] };
  const key = FILTER_KINDS[edit.kind];
  const current = rules[key];
  const next =
    edit.action === 'remove'
      ? current.filter((v) => v !== edit.value)
      : current.includes(edit.value)
        ? current
        : [...current, edit.value];
  if (edit.action === 'remove' && next.length === current.length) return `“${edit.value}” is not in ${edit.kind}.`;
  const updated = { ...rules, [key]: next };
  const compiled = compileRules(updated);
  return compiled.ok ? updated : `Not saved: ${compiled.errors.join('; ')}`;
}

/** A destination's filters as moderators read them, one line each; `quote` marks a value as the platform shows code. */
export function describeFilters(title: string, rules: unknown, quote: (value: string) => string): string[] {
  const r = ChannelRulesSchema.parse(rules ?? {});
  const list = (xs: string[]) => (xs.length ? xs.map(quote).join(', ') : '—');
  return [
    `Filters of ${title}:`,
    `include: ${list(r.include)}`,
    `exclude: ${list(r.exclude)}`,
    `include-regex: ${list(r.includeRegex)}`,
    `exclude-regex: ${list(r.excludeRegex)}`,
    `approval: ${r.approval}`,
  ];
}
