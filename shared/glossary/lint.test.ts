import { describe, expect, it } from 'vitest';
import { isWellFormedUrl, lintPacks } from './lint';
import type { LoadedPack } from './load';
import { formatProblem } from './problems';
import { GlossaryPackSchema } from './schema';

let n = 0;
const entry = (id: string, term: string, over: Record<string, unknown> = {}) => ({
  id,
  term,
  fields: ['astronomy'],
  level: 2,
  short: `Plain words, explanation number ${++n}.`,
  long: 'More.',
  sources: [{ title: 'Ref', url: `https://en.wikipedia.org/wiki/${id}` }],
  ...over,
});
const loaded = (file: string, lang: string, entries: unknown[]): LoadedPack => ({
  file,
  pack: GlossaryPackSchema.parse({ format: 1, id: 'p', title: 'P', lang, revision: 1, license: 'CC-BY-4.0', entries }),
});
const lint = (...packs: LoadedPack[]) => lintPacks(packs).map(formatProblem);

describe('lintPacks', () => {
  it('passes a clean pack', () => {
    expect(
      lint(
        loaded('a.json', 'en', [
          entry('exoplanet', 'exoplanet', { related: ['black-hole'] }),
          entry('black-hole', 'black hole'),
        ]),
      ),
    ).toEqual([]);
  });

  it('finds duplicate ids across the packs of one language, not across languages', () => {
    const en1 = loaded('a.json', 'en', [entry('crispr', 'CRISPR')]);
    const en2 = loaded('b.json', 'en', [entry('crispr', 'gene scissors')]);
    const zh = loaded('c.json', 'zh-Hans', [entry('crispr', 'CRISPR')]);
    expect(lint(en1, en2, zh)).toEqual(['b.json: entries[0].id: duplicate id "crispr" (first in a.json entries[0])']);
  });

  it('finds related ids that do not resolve and self-references', () => {
    expect(lint(loaded('a.json', 'en', [entry('a', 'alpha decay', { related: ['a', 'missing'] })]))).toEqual([
      'a.json: entries[0].related[0]: relates the entry to itself',
      'a.json: entries[0].related[1]: "missing" is not an entry in en',
    ]);
  });

  it('finds a surface form claimed by two entries, as the matcher would see them', () => {
    const problems = lint(
      loaded('a.json', 'en', [
        entry('ml', 'machine learning'),
        entry('ml2', 'Machine-Learning'),
        entry('ai', 'AI'),
        entry('ai2', 'ai'),
      ]),
    );
    expect(problems).toEqual([
      'a.json: entries[1].term: surface form "Machine-Learning" is already claimed by "ml" (a.json) in en',
    ]);
  });

  it('finds malformed source URLs', () => {
    expect(
      lint(
        loaded('a.json', 'en', [
          entry('a', 'alpha decay', { sources: [{ title: 'x', url: 'en.wikipedia.org/wiki/A' }] }),
        ]),
      ),
    ).toEqual(['a.json: entries[0].sources[0].url: "en.wikipedia.org/wiki/A" is not a well-formed http(s) URL']);
  });

  it('finds a short explanation that uses the term or an alias to explain it', () => {
    const problems = lint(
      loaded('a.json', 'en', [
        entry('exoplanet', 'exoplanet', {
          aliases: ['extrasolar planet'],
          short: 'Exoplanets are planets around other stars.',
        }),
        entry('dna', 'DNA', { short: 'The DNA molecule.' }),
        entry('llm', 'LLM', { short: 'An AI system that writes text; not an llm in lower case.' }),
      ]),
    );
    expect(problems).toEqual([
      'a.json: entries[0].short: uses "Exoplanets" to explain itself',
      'a.json: entries[1].short: uses "DNA" to explain itself',
    ]);
  });
});

describe('isWellFormedUrl', () => {
  it('accepts http(s) URLs with a host, including non-ASCII paths', () => {
    expect(isWellFormedUrl('https://zh.wikipedia.org/wiki/系外行星')).toBe(true);
    expect(isWellFormedUrl('https://www.nasa.gov/')).toBe(true);
    expect(isWellFormedUrl('ftp://x.org/')).toBe(false);
    expect(isWellFormedUrl('https://localhost/')).toBe(false);
    expect(isWellFormedUrl('https://exa mple.org/')).toBe(false);
  });
});
