import type { GlossaryPack } from '../glossary/schema';
import type { FindOptions, Match, Matcher } from '../matcher/types';

/** What the message builder needs of an entry. */
export interface TermInfo {
  term: string;
  short: string;
  fields: readonly string[];
  level: number;
}

/** The glossary as posts use it: find terms in text, then look their explanations up. */
export interface TermGlossary {
  find(text: string, options?: FindOptions): Match[];
  entry(id: string, lang: string): TermInfo | undefined;
  /** The languages of the packs, so a term found in one can be explained in the post's own. */
  readonly languages: readonly string[];
}

/** Wraps a compiled matcher and the packs it was compiled from. */
export function createTermGlossary(matcher: Matcher, packs: readonly GlossaryPack[]): TermGlossary {
  const byKey = new Map<string, TermInfo>();
  for (const pack of packs) {
    for (const e of pack.entries)
      byKey.set(`${pack.lang}\u0000${e.id}`, { term: e.term, short: e.short, fields: e.fields, level: e.level });
  }
  const languages = [...new Set(packs.map((p) => p.lang))];
  return {
    find: (text, options) => matcher.find(text, options),
    entry: (id, lang) => byKey.get(`${lang}\u0000${id}`),
    languages,
  };
}

/** A found term with what ranking needs. */
export interface RankedTerm {
  id: string;
  lang: string;
  info: TermInfo;
  score: number;
}

const primary = (lang: string | undefined) => (lang ?? '').toLowerCase().split('-')[0] ?? '';

/**
 * Picks the terms most worth explaining: those in the title first, then the more specialist ones
 * (a level-1 word like "DNA" explains least), then the more frequent; one per entry, at most `max`.
 */
export function pickTerms(
  glossary: TermGlossary,
  title: string,
  summary: string,
  itemLang: string | undefined,
  max: number,
): RankedTerm[] {
  const text = `${title}\n${summary}`;
  const best = new Map<string, RankedTerm>();
  // One concept keeps one id across languages: "DNA" in a Chinese post is explained in Chinese.
  const ownLang = itemLang === undefined ? undefined : glossary.languages.find((l) => primary(l) === primary(itemLang));
  for (const hit of glossary.find(text)) {
    const m = ownLang && hit.lang !== ownLang && glossary.entry(hit.id, ownLang) ? { ...hit, lang: ownLang } : hit;
    const info = glossary.entry(m.id, m.lang);
    if (!info) continue;
    const key = `${m.lang}\u0000${m.id}`;
    const inTitle = m.start < title.length;
    const sameLang = itemLang === undefined || primary(itemLang) === primary(m.lang);
    const found = best.get(key);
    if (found) {
      found.score += 1 + (inTitle ? 10 : 0);
      continue;
    }
    best.set(key, {
      id: m.id,
      lang: m.lang,
      info,
      score: (inTitle ? 10 : 0) + info.level * 3 + (sameLang ? 20 : 0) + 1,
    });
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, max);
}
