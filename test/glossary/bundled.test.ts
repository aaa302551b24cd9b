import { describe, expect, it } from 'vitest';
import { listPackFiles, readPackFiles } from '../../bots/glossary/bundled';
import { lintPacks } from '../../shared/glossary/lint';
import { formatProblem } from '../../shared/glossary/problems';
import { COMMON_WORDS, qualityProblems } from '../../shared/glossary/quality';
import { FIELDS } from '../../shared/glossary/schema';
import { compileMatcher, loadMatcher } from '../../shared/matcher';
import { describeWithCorpora } from '../support/corpora';
import { corpusPages } from '../support/page-text';

const { packs, problems } = readPackFiles(listPackFiles());
/** A form without its punctuation (《数字服务法》 is found as 数字服务法). */
const bare = (text: string) => text.replace(/\p{P}/gu, '');
/** The bundled glossary compiled once for this file, and the same read back from its serialized form. */
let matchers: { compiled: ReturnType<typeof compileMatcher>; shipped: ReturnType<typeof loadMatcher> } | undefined;
function bundledMatchers() {
  if (!matchers) {
    const compiled = compileMatcher(packs.map((p) => p.pack));
    matchers = { compiled, shipped: loadMatcher(compiled.serialize()) };
  }
  return matchers;
}
const entries = (lang: string) => packs.filter((p) => p.pack.lang === lang).flatMap((p) => p.pack.entries);

describe('the bundled glossary', () => {
  // Every rule over every entry: about 10 s on a quiet 2-core machine, several times that under load.
  it('passes every lint rule, quality rules included', { timeout: 180_000 }, () => {
    const all = [...problems, ...lintPacks(packs), ...qualityProblems(packs)].map(formatProblem);
    expect(all).toEqual([]);
  });

  it('finds every entry by each of its own forms, as compiled and as shipped', () => {
    // Each form, alone, must be found whole as its own entry: a form the compiled tables lose (the
    // longest ones, once the candidate index outgrew a table) would silently never match.
    const all = packs.map((p) => p.pack);
    const { compiled, shipped } = bundledMatchers();
    const missed: string[] = [];
    for (const matcher of [compiled, shipped])
      for (const pack of all)
        for (const e of pack.entries)
          for (const form of [e.term, ...e.aliases]) {
            const found = matcher.find(form, { ignoreContext: true, langs: new Set([pack.lang]) });
            if (!found.some((m) => m.id === e.id && bare(m.text) === bare(form))) missed.push(`${e.id}: ${form}`);
          }
    expect(missed).toEqual([]);
  }, 120_000); // about 7 s alone; ~14,000 forms through two matchers, slower beside the rest of the suite

  it('explains at least 2,000 English and 1,000 Chinese terms', () => {
    expect(entries('en').length).toBeGreaterThanOrEqual(2000);
    expect(entries('zh-Hans').length).toBeGreaterThanOrEqual(1000);
  });

  it('covers every field in depth, at every level, in both languages', () => {
    for (const lang of ['en', 'zh-Hans']) {
      const list = entries(lang);
      for (const field of FIELDS) {
        const inField = list.filter((e) => e.fields.includes(field));
        expect(inField.length, `${lang} ${field}`).toBeGreaterThanOrEqual(lang === 'en' ? 100 : 50);
        expect(new Set(inField.map((e) => e.level)).size, `${lang} ${field} levels`).toBe(3);
      }
    }
  });

  it('includes the English acronyms Chinese news uses', () => {
    const zhForms = new Set(entries('zh-Hans').flatMap((e) => [e.term, ...e.aliases]));
    for (const acronym of ['DNA', 'CRISPR', 'AI', 'mRNA']) expect(zhForms, acronym).toContain(acronym);
  });

  describeWithCorpora('on the real pages of the corpus', () => {
    const pages = corpusPages();
    const { compiled: matcher, shipped: loaded } = bundledMatchers();

    it('never highlights an everyday word on its own', () => {
      for (const page of pages) {
        const everyday = matcher.find(page.text).filter((m) => COMMON_WORDS.has(m.text.toLowerCase()));
        expect(
          everyday.map((m) => m.text),
          page.name,
        ).toEqual([]);
      }
    });

    it('finds science terms on the pages that have them, and the same from the serialized form', () => {
      let total = 0;
      for (const page of pages) {
        const found = matcher.find(page.text);
        expect(loaded.find(page.text)).toEqual(found);
        total += found.length;
      }
      expect(total).toBeGreaterThan(100);
      const youth = pages.find((p) => p.name === 'youth.html')!;
      expect(matcher.find(youth.text).some((m) => m.lang === 'zh-Hans')).toBe(true);
    });
  });
});
