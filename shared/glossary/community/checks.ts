// The checks every draft goes through: the same rules as `scipop glossary lint` (shape, lengths,
// readability, everyday-word forms, forms claimed by another entry, links), run against the live
// glossary of the draft's language, with the problems said in plain words.
import { compileMatcher } from '../../matcher/index';
import { lintPacks } from '../lint';
import { parsePack, type LoadedPack } from '../load';
import { qualityProblems } from '../quality';
import type { GlossaryEntry, GlossaryPack } from '../schema';
import { entryKey } from './layer';

/** A draft to check: an entry in a language. */
export interface DraftToCheck {
  lang: string;
  entry: GlossaryEntry;
}

const DRAFTS_FILE = '(draft)';

const normalized = (text: string) =>
  text
    .toLowerCase()
    .replace(/[\s\p{P}]+/gu, ' ')
    .trim();

const FIELD_NAMES: Record<string, string> = {
  id: 'id',
  term: 'term',
  aliases: 'alias',
  avoid: 'avoided phrase',
  fields: 'fields',
  level: 'level',
  short: 'short explanation',
  long: 'longer explanation',
  related: 'related',
  sources: 'source',
  needsContext: 'context-only form',
};

/** `['aliases', 1]` → `alias 2`; `['sources', 0, 'url']` → `source 1 url`. */
function fieldName(path: readonly PropertyKey[]): string {
  const [key, index, sub] = path;
  const name = FIELD_NAMES[String(key)] ?? String(key);
  const parts = [name];
  if (typeof index === 'number') parts.push(String(index + 1));
  if (sub !== undefined) parts.push(String(sub));
  return parts.join(' ');
}

/**
 * The lint problems of each draft, in plain words (`short explanation: too long (212 > 160)`), in
 * the order the drafts were given. `live` is the glossary as published now (bundled and community
 * layered): an entry with a draft's id is left out of it, since the draft would replace it.
 */
export function draftProblems(drafts: readonly DraftToCheck[], live: readonly GlossaryPack[]): string[][] {
  const out: string[][] = drafts.map(() => []);
  const langs = [...new Set(drafts.map((d) => d.lang))];
  for (const lang of langs) {
    const mine = drafts.map((d, i) => ({ ...d, i })).filter((d) => d.lang === lang);
    const replaced = new Set(mine.map((d) => entryKey(lang, d.entry.id)));
    // The live entries take part by their ids, forms, fields and levels; their texts are left out
    // (each a distinct placeholder), so the rules do not re-check thousands of published entries
    // for every draft. Repeated explanations are compared below, against the real texts.
    const texts = new Map<string, string>();
    let n = 0;
    const context: LoadedPack[] = live
      .filter((p) => p.lang === lang)
      .map((p) => ({
        file: p.id,
        pack: {
          ...p,
          entries: p.entries
            .filter((e) => !replaced.has(entryKey(lang, e.id)))
            .map((e) => {
              texts.set(normalized(e.short), e.id);
              texts.set(normalized(e.long), e.id);
              n++;
              return { ...e, short: `s${n}.`, long: `l${n}.` };
            }),
        },
      }));
    const pack: GlossaryPack = {
      format: 1,
      id: 'drafts',
      title: 'drafts',
      lang,
      revision: 1,
      license: 'community',
      entries: mine.map((d) => d.entry),
    };
    const shape = parsePack(pack, DRAFTS_FILE);
    const all = [...context, { file: DRAFTS_FILE, pack }];
    // The published entries are context only; both checks share one compiled matcher (the slow part).
    const options = {
      only: (file: string) => file === DRAFTS_FILE,
      matchers: new Map([[lang, compileMatcher(all.map((p) => p.pack))]]),
    };
    const problems = [
      ...(shape.ok ? [] : shape.problems),
      ...lintPacks(all, new Date(), options),
      ...qualityProblems(all, options),
    ];
    for (const d of mine) {
      for (const key of ['short', 'long'] as const) {
        const same = texts.get(normalized(d.entry[key]));
        if (same)
          problems.push({
            file: DRAFTS_FILE,
            path: ['entries', mine.indexOf(d), key],
            message: `same explanation as "${same}"`,
          });
      }
    }
    for (const p of problems) {
      if (p.file !== DRAFTS_FILE || p.path[0] !== 'entries' || typeof p.path[1] !== 'number') continue;
      const draft = mine[p.path[1]];
      if (draft) out[draft.i]!.push(`${fieldName(p.path.slice(2))}: ${p.message}`);
    }
  }
  return out;
}
