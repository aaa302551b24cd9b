import { describe, expect, it } from 'vitest';
import { parsePack, parsePackText } from './load';
import { formatProblem } from './problems';

const entry = (over: Record<string, unknown> = {}) => ({
  id: 'exoplanet',
  term: 'exoplanet',
  fields: ['astronomy'],
  level: 2,
  short: 'A planet that orbits a star other than the Sun.',
  long: 'Thousands are known.',
  sources: [{ title: 'Exoplanet', url: 'https://en.wikipedia.org/wiki/Exoplanet' }],
  ...over,
});
const pack = (entries: unknown[], over: Record<string, unknown> = {}) => ({
  format: 1,
  id: 'test-pack',
  title: 'Test',
  lang: 'en',
  revision: 1,
  license: 'CC-BY-4.0',
  entries,
  ...over,
});
const lines = (json: unknown) => {
  const r = parsePack(json, 'p.json');
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('parsePack', () => {
  it('accepts a valid pack and fills defaults', () => {
    const r = parsePack(pack([entry()]), 'p.json');
    expect(r.ok && r.value.entries[0]).toMatchObject({ aliases: [], avoid: [], related: [] });
  });

  it('reports a too-long short explanation with both lengths, per language', () => {
    expect(lines(pack([entry(), entry({ id: 'b', short: 'x'.repeat(212) })]))).toEqual([
      'p.json: entries[1].short: too long (212 > 160)',
    ]);
    expect(lines(pack([entry({ short: '长'.repeat(81) })], { lang: 'zh-Hans' }))).toEqual([
      'p.json: entries[0].short: too long (81 > 80)',
    ]);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(lines(pack([entry({ short: '𝑥'.repeat(160) })]))).toEqual([]);
  });

  it('collects every problem before reporting', () => {
    const problems = lines(
      pack([entry({ id: 'Bad Id', level: 7, fields: ['astrology'] }), entry({ sources: [] })], { format: 2 }),
    );
    expect(problems).toEqual([
      'p.json: format: must be 1',
      'p.json: entries[0].id: must be a lowercase slug (a-z, 0-9, single hyphens)',
      expect.stringMatching(/^p\.json: entries\[0\]\.fields\[0\]: /),
      expect.stringMatching(/^p\.json: entries\[0\]\.level: /),
      'p.json: entries[1].sources: needs at least one source',
    ]);
  });

  it('names a missing field', () => {
    const { short: _short, ...noShort } = entry();
    expect(lines(pack([noShort]))).toEqual(['p.json: entries[0].short: is required (string)']);
  });

  it('reports bad JSON as one problem with the parser position', () => {
    const r = parsePackText('{"format": 1,', 'broken.json');
    expect(r.ok ? '' : formatProblem(r.problems[0]!)).toMatch(/^broken\.json: not valid JSON \(/);
  });

  it('tolerates a byte order mark', () => {
    expect(parsePackText(`\ufeff${JSON.stringify(pack([entry()]))}`, 'bom.json').ok).toBe(true);
  });
});
