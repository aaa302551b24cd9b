import { surfaceForms } from '../../shared/glossary/lint';
import type { LoadedPack } from '../../shared/glossary/load';
import type { GlossaryEntry } from '../../shared/glossary/schema';
import { analyzeForm, formVariants } from '../../shared/matcher/forms';
import type { Match } from '../../shared/matcher';
import { compileGlossaryMatcher } from '../glossary/segmentation';

/** A surface form the matcher looks for. */
export interface TermRow {
  form: string;
  id: string;
  lang: string;
  /** Set for forms the matcher derives (plurals, run-together words) rather than ones a pack lists. */
  generated?: true;
}

const inLang = (packs: readonly LoadedPack[], lang?: string) => packs.filter((p) => !lang || p.pack.lang === lang);

/** Every surface form, written and generated, with its entry id. */
export function glossaryTerms(packs: readonly LoadedPack[], lang?: string): TermRow[] {
  const rows: TermRow[] = [];
  for (const { pack } of inLang(packs, lang)) {
    for (const entry of pack.entries) {
      const forms = surfaceForms(entry);
      for (const form of forms) rows.push({ form, id: entry.id, lang: pack.lang });
      for (const form of forms)
        for (const v of formVariants(form)) rows.push({ form: v, id: entry.id, lang: pack.lang, generated: true });
    }
  }
  return rows;
}

/**
 * The terms found in a text, as the `match` command prints them. Each paragraph (text between blank
 * lines) is one context window, as a paragraph of a page is for the extension.
 */
export function matchText(packs: readonly LoadedPack[], text: string, lang?: string): Omit<Match, 'lang'>[] {
  const matcher = compileGlossaryMatcher(inLang(packs, lang));
  const out: Omit<Match, 'lang'>[] = [];
  const paragraph = /[^]+?(?=\n[^\S\n]*\n|$)/g;
  for (let m = paragraph.exec(text); m; m = paragraph.exec(text)) {
    for (const { start, end, text: t, id } of matcher.find(m[0]))
      out.push({ start: start + m.index, end: end + m.index, text: t, id });
    if (m[0].length === 0) paragraph.lastIndex++;
  }
  return out;
}

const LEVELS = { 1: 'common', 2: 'informed', 3: 'specialist' } as const;

function render(entry: GlossaryEntry, lang: string, termOf: (id: string) => string): string {
  const lines = [`${entry.term}  [${lang}] ${entry.fields.join(', ')} · level ${entry.level} (${LEVELS[entry.level]})`];
  if (entry.aliases.length > 0) lines.push(`Also: ${entry.aliases.join(', ')}`);
  lines.push('', entry.short, '', entry.long);
  if (entry.related.length > 0) lines.push('', `Related: ${entry.related.map(termOf).join(', ')}`);
  for (const s of entry.sources) lines.push(`Source: ${s.title} <${s.url}>`);
  return lines.join('\n');
}

/** The entries whose id, term or alias is `term` (as the matcher would see it), rendered for reading. */
export function explainTerm(packs: readonly LoadedPack[], term: string, lang?: string): string | null {
  const wanted = analyzeForm(term);
  const blocks: string[] = [];
  for (const { pack } of inLang(packs, lang)) {
    const termOf = (id: string) =>
      pack.entries.find((e) => e.id === id)?.term ??
      packs.flatMap((p) => (p.pack.lang === pack.lang ? p.pack.entries : [])).find((e) => e.id === id)?.term ??
      id;
    for (const entry of pack.entries) {
      const hit =
        entry.id === term ||
        surfaceForms(entry).some((form) => {
          const f = analyzeForm(form);
          return f.key === wanted.key && (f.exact === null || f.exact === wanted.exact || wanted.exact === null);
        });
      if (hit) blocks.push(render(entry, pack.lang, termOf));
    }
  }
  return blocks.length > 0 ? blocks.join('\n\n') : null;
}
