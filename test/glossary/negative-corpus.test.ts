import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBundledPacks } from '../../bots/glossary/bundled';
import { compileGlossaryMatcher } from '../../bots/glossary/segmentation';
import { loadMatcher } from '../../shared/matcher';

interface Allowed {
  lang: string;
  form: string;
  id: string;
  reason: string;
}

const dir = new URL('../negative-corpus/', import.meta.url);
/** The paragraphs of one language: one per line, `#` lines are comments. */
const paragraphs = (lang: string) =>
  readFileSync(new URL(`${lang}.txt`, dir), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
const { allowed } = JSON.parse(readFileSync(new URL('allowed.json', dir), 'utf8')) as { allowed: Allowed[] };

// The glossary as it ships, from its serialized form: whatever the bundled packs hold today.
const matcher = loadMatcher(compileGlossaryMatcher(loadBundledPacks()).serialize());

describe('the negative corpus: ordinary news on which the glossary finds nothing', () => {
  const corpus = { en: paragraphs('en'), 'zh-Hans': paragraphs('zh-Hans') };

  it('has at least 300 paragraphs in English and Chinese, all-capitals headlines among them', () => {
    expect(corpus.en.length + corpus['zh-Hans'].length).toBeGreaterThanOrEqual(300);
    expect(corpus['zh-Hans'].length).toBeGreaterThanOrEqual(120);
    expect(corpus.en.filter((p) => p === p.toUpperCase()).length).toBeGreaterThanOrEqual(5);
  });

  it('every allowed term has its reason', () => {
    for (const a of allowed) expect(a.reason.trim().length, `${a.lang} ${a.form}`).toBeGreaterThan(20);
  });

  it.each(['en', 'zh-Hans'] as const)('%s: no term found, except the allowed ones', (lang) => {
    const found: string[] = [];
    for (const paragraph of corpus[lang]) {
      for (const m of matcher.find(paragraph)) {
        const ok = allowed.some((a) => a.lang === lang && a.form === m.text && a.id === m.id);
        if (!ok) found.push(`"${m.text}" (${m.id}) in: ${paragraph}`);
      }
    }
    expect(found).toEqual([]);
  });
});
