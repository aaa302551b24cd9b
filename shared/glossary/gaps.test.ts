import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../matcher/index';
import { findGaps } from './gaps';
import { GlossaryPackSchema } from './schema';

const pack = GlossaryPackSchema.parse({
  format: 1,
  id: 'p',
  title: 'P',
  lang: 'en',
  revision: 1,
  license: 'CC-BY-4.0',
  entries: [
    {
      id: 'exoplanet',
      term: 'exoplanet',
      fields: ['astronomy'],
      level: 2,
      short: 'A planet around another star.',
      long: 'More.',
      sources: [{ title: 'x', url: 'https://example.org/x' }],
    },
  ],
});
const matcher = compileMatcher([pack]);
const common = new Set([
  'the',
  'a',
  'new',
  'said',
  'on',
  'of',
  'and',
  'was',
  'found',
  'by',
  'team',
  'with',
  'in',
  'study',
  'week',
  'this',
  'researchers',
  'from',
]);

const docs = [
  'The JWST team said the exoplanet was found by transit photometry. The James Webb Space Telescope saw it.',
  'Researchers used transit photometry on the exoplanet. JWST data came from the James Webb Space Telescope.',
  'This week a study of transit photometry by the JWST team. 科学家利用量子纠缠实现了量子纠缠分发。',
  '量子纠缠是一种现象。新的量子纠缠实验。',
];

describe('findGaps', () => {
  const gaps = findGaps(docs, { matcher, commonWords: common, commonZh: ['科学家', '实现'] });
  const texts = gaps.map((g) => g.text);

  it('finds acronyms, capitalized names, uncommon phrases and Chinese n-grams, counted per text', () => {
    expect(gaps.find((g) => g.text === 'JWST')).toMatchObject({ kind: 'acronym', count: 3, docs: 3 });
    expect(gaps.find((g) => g.text === 'transit photometry')).toMatchObject({ kind: 'phrase', count: 3, docs: 3 });
    expect(gaps.find((g) => g.text === 'James Webb Space Telescope')).toMatchObject({
      kind: 'name',
      count: 2,
      docs: 2,
    });
    expect(gaps.find((g) => g.text === '量子纠缠')).toMatchObject({ kind: 'zh', count: 4, docs: 2 });
  });

  it('leaves out what the glossary explains, everyday words, and fragments of longer Chinese terms', () => {
    expect(texts).not.toContain('exoplanet');
    expect(texts).not.toContain('team');
    expect(texts).not.toContain('量子');
    expect(texts).not.toContain('子纠');
  });

  it('ranks by how often and how widely a candidate occurs', () => {
    const scores = gaps.map((g) => g.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(texts.indexOf('JWST')).toBeLessThan(texts.indexOf('James Webb Space Telescope'));
  });

  it('respects the limit', () => {
    expect(findGaps(docs, { matcher, commonWords: common, limit: 2 })).toHaveLength(2);
  });
});
