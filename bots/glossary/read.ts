import { surfaceForms } from '../../shared/glossary/lint';
import type { LoadedPack } from '../../shared/glossary/load';
import type { GlossaryEntry } from '../../shared/glossary/schema';
import { analyzeForm, formVariants } from '../../shared/matcher/forms';
import type { Match } from '../../shared/matcher';
import { compileGlossaryMatcher } from '../glossary/segmentation';
import type { ChatLang } from '../../shared/i18n/lang';
import { translate, type MessageKey } from '../../shared/i18n/translate';

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

/**
 * `/explain TERM` in a channel's language: each entry the term names, from the pack of that
 * language where it has one, else from the one it was found in with a note saying so; the labels
 * in that language too. Null when no entry names the term.
 */
export function explainForChat(packs: readonly LoadedPack[], term: string, lang: ChatLang): string | null {
  const wanted = analyzeForm(term);
  const ids: { id: string; lang: string }[] = [];
  for (const { pack } of packs)
    for (const entry of pack.entries) {
      const hit =
        entry.id === term ||
        surfaceForms(entry).some((form) => {
          const f = analyzeForm(form);
          return f.key === wanted.key && (f.exact === null || f.exact === wanted.exact || wanted.exact === null);
        });
      if (hit && !ids.some((x) => x.id === entry.id)) ids.push({ id: entry.id, lang: pack.lang });
    }
  if (ids.length === 0) return null;
  const own = (l: string) => l.split('-')[0] === lang.split('-')[0];
  const find = (id: string, l: (x: string) => boolean) =>
    packs
      .filter((p) => l(p.pack.lang))
      .flatMap((p) => p.pack.entries.map((e) => ({ e, lang: p.pack.lang })))
      .find((x) => x.e.id === id);
  return ids
    .map(({ id, lang: foundIn }) => {
      const chosen = find(id, own) ?? find(id, (l) => l === foundIn)!;
      const termOf = (rid: string) => find(rid, (l) => l === chosen.lang)?.e.term ?? rid;
      const e = chosen.e;
      const lines = [
        `${e.term} · ${translate(lang, 'explain.level', { level: e.level, name: translate(lang, `explain.level.${e.level}` as MessageKey) })}`,
      ];
      if (!own(chosen.lang)) lines.push(translate(lang, 'explain.fallback'));
      if (e.aliases.length > 0) lines.push(translate(lang, 'explain.also', { aliases: e.aliases.join(', ') }));
      lines.push('', e.short, '', e.long);
      if (e.related.length > 0)
        lines.push('', translate(lang, 'explain.related', { terms: e.related.map(termOf).join(', ') }));
      for (const s of e.sources) lines.push(translate(lang, 'explain.source', { title: s.title, url: s.url }));
      return lines.join('\n');
    })
    .join('\n\n');
}
