/**
 * Which sources a channel's rules select (`rules.sources`, `rules.tags`). The engine posts a
 * channel the items of the sources it subscribes to; the rules' selection decides the
 * subscriptions a channel gets when it is created, when its configured selection changes, and when
 * an operator adds a source to the network. Read leniently: rules that fail validation still say
 * which sources they meant, so fixing a keyword does not lose a channel's subscriptions.
 */

/** The source-selecting part of a channel's rules; both lists empty select every source. */
export interface SourceSelection {
  sources: readonly string[];
  tags: readonly string[];
}

/** The parts of a source a selection looks at. */
export interface SelectableSource {
  id: string;
  url: string;
  tags: readonly string[];
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : [];

/** The selection of stored or configured rules (any JSON value; anything unreadable selects nothing more). */
export function selectionOf(rules: unknown): SourceSelection {
  const r = typeof rules === 'object' && rules !== null ? (rules as Record<string, unknown>) : {};
  return { sources: strings(r.sources), tags: strings(r.tags) };
}

/** True when the selection takes this source: listed by id or URL, or carrying a selected tag. */
export function selects(selection: SourceSelection, source: SelectableSource): boolean {
  if (selection.sources.length > 0 && !selection.sources.includes(source.id) && !selection.sources.includes(source.url))
    return false;
  if (selection.tags.length > 0 && !source.tags.some((t) => selection.tags.includes(t))) return false;
  return true;
}

/** A comparable key: two rules with the same key select the same sources. */
export function selectionKey(selection: SourceSelection): string {
  return JSON.stringify([[...selection.sources].sort(), [...selection.tags].sort()]);
}
