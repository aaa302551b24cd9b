import { formIdentity } from '../matcher/forms';
import { aliasMismatch } from './alias-rules';
import { compileMatcher, type Matcher } from '../matcher/index';
import type { LoadedPack } from './load';
import type { Problem } from './problems';
import type { GlossaryEntry } from './schema';

/** Where an entry lives, for pointing problems at it. */
interface Located {
  file: string;
  index: number;
  entry: GlossaryEntry;
}

const httpUrl = /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?(?:[/?#][^\s<>"]*)?$/i;

/** Whether a string is an absolute http(s) URL with a real host name, as a reader's browser would open it. */
export function isWellFormedUrl(url: string): boolean {
  return httpUrl.test(url);
}

/** All surface forms of an entry: the term and its aliases. */
export function surfaceForms(entry: GlossaryEntry): string[] {
  return [entry.term, ...entry.aliases];
}

function byLanguage(packs: readonly LoadedPack[]): Map<string, Located[]> {
  const out = new Map<string, Located[]>();
  for (const { file, pack } of packs) {
    const list = out.get(pack.lang) ?? [];
    pack.entries.forEach((entry, index) => list.push({ file, index, entry }));
    out.set(pack.lang, list);
  }
  return out;
}

const at = (where: Located, ...path: PropertyKey[]) => ({ file: where.file, path: ['entries', where.index, ...path] });

/** Whether `reviewed` is a real calendar day (not 2025-02-30) and not after `today` (YYYY-MM-DD, UTC). */
export function reviewedProblem(reviewed: string, today: Date): string | null {
  const day = new Date(`${reviewed}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== reviewed)
    return `"${reviewed}" is not a real date`;
  const now = today.toISOString().slice(0, 10);
  return reviewed > now ? `"${reviewed}" is in the future (today is ${now})` : null;
}

/** The checks on one entry's own forms: mechanical alias mistakes, and needsContext forms it has. */
function entryFormProblems(where: Located): Problem[] {
  const { entry } = where;
  const out: Problem[] = [];
  const forms = surfaceForms(entry);
  forms.forEach((form, i) => {
    if (i === 0) return;
    for (const earlier of forms.slice(0, i)) {
      const message = aliasMismatch(earlier, form);
      if (message) {
        out.push({ ...at(where, 'aliases', i - 1), message });
        break;
      }
    }
  });
  const own = new Set(forms.map(formIdentity));
  (entry.needsContext ?? []).forEach((form, i) => {
    if (!own.has(formIdentity(form)))
      out.push({ ...at(where, 'needsContext', i), message: `"${form}" is not the term or an alias of this entry` });
  });
  return out;
}

/** What a caller checking a few entries among many (a draft among the glossary) can pass to save work. */
export interface CheckOptions {
  /** Report problems only of the entries in these files (the others are still the context). */
  only?: (file: string) => boolean;
  /** The matcher of each language's packs, when the caller compiled it already (it is the slow part). */
  matchers?: ReadonlyMap<string, Matcher>;
}

/**
 * The rules beyond the schema, across every pack given: ids unique within a language, `related`
 * ids that resolve, no surface form claimed by two entries of one language, aliases that name the
 * same thing (no other unit prefix, no other drug), `needsContext` forms of the entry, `reviewed`
 * dates that exist and are not in the future, well-formed URLs, and no `short` that explains a
 * term with the term itself.
 */
export function lintPacks(
  packs: readonly LoadedPack[],
  today: Date = new Date(),
  options: CheckOptions = {},
): Problem[] {
  const problems: Problem[] = [];
  for (const [lang, entries] of byLanguage(packs)) {
    const matcher =
      options.matchers?.get(lang) ?? compileMatcher(packs.filter((p) => p.pack.lang === lang).map((p) => p.pack));
    const ids = new Map<string, Located>();
    for (const where of entries) {
      const first = ids.get(where.entry.id);
      if (first && (!options.only || options.only(where.file)))
        problems.push({
          ...at(where, 'id'),
          message: `duplicate id "${where.entry.id}" (first in ${first.file} entries[${first.index}])`,
        });
      else ids.set(where.entry.id, where);
    }
    const owners = new Map<string, Located>();
    for (const where of entries) {
      const { entry } = where;
      const checked = !options.only || options.only(where.file);
      surfaceForms(entry).forEach((form, i) => {
        const identity = formIdentity(form);
        const owner = owners.get(identity);
        const path = i === 0 ? ['term'] : ['aliases', i - 1];
        if (!checked) {
          if (!owner) owners.set(identity, where);
        } else if (owner && owner !== where) {
          problems.push({
            ...at(where, ...path),
            message: `surface form "${form}" is already claimed by "${owner.entry.id}" (${owner.file}) in ${lang}`,
          });
        } else if (owner === where) {
          problems.push({ ...at(where, ...path), message: `surface form "${form}" is listed twice` });
        } else owners.set(identity, where);
      });
      if (!checked) continue;
      problems.push(...entryFormProblems(where));
      if (entry.reviewed !== undefined) {
        const message = reviewedProblem(entry.reviewed, today);
        if (message) problems.push({ ...at(where, 'reviewed'), message });
      }
      // As the matcher sees it: "Exoplanets are…" uses "exoplanet", "the DNA molecule" uses "DNA".
      const self = matcher.find(entry.short).find((m) => m.id === entry.id);
      if (self) problems.push({ ...at(where, 'short'), message: `uses "${self.text}" to explain itself` });
      entry.related.forEach((id, i) => {
        if (id === entry.id) problems.push({ ...at(where, 'related', i), message: 'relates the entry to itself' });
        else if (!ids.has(id))
          problems.push({ ...at(where, 'related', i), message: `"${id}" is not an entry in ${lang}` });
      });
      entry.sources.forEach((source, i) => {
        if (!isWellFormedUrl(source.url))
          problems.push({
            ...at(where, 'sources', i, 'url'),
            message: `"${source.url}" is not a well-formed http(s) URL`,
          });
      });
    }
  }
  return problems;
}
