import { describe, expect, it } from 'vitest';
import { isWellFormedUrl, lintPacks, reviewedProblem } from './lint';
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

describe('lintPacks: aliases, needsContext and review dates', () => {
  const today = new Date('2026-12-07T12:00:00Z');
  const lintOn = (lang: string, entries: unknown[]) =>
    lintPacks([loaded('a.json', lang, entries)], today).map(formatProblem);

  it('catches a unit with another prefix, in words, symbols and Chinese', () => {
    expect(
      lintOn('en', [
        entry('gigawatt', 'gigawatt', { aliases: ['GW', 'megawatt', 'MW'] }),
        entry('kilowatt-hour', 'kilowatt-hour', { aliases: ['kWh', 'kilowatt hours', 'TWh'] }),
      ]),
    ).toEqual([
      'a.json: entries[0].aliases[1]: "megawatt" is 10^6 W and "gigawatt" is 10^9 W: an alias must name the same quantity (give it its own entry or list it in related)',
      'a.json: entries[0].aliases[2]: "MW" is 10^6 W and "gigawatt" is 10^9 W: an alias must name the same quantity (give it its own entry or list it in related)',
      'a.json: entries[1].aliases[2]: "TWh" is 10^12 Wh and "kilowatt-hour" is 10^3 Wh: an alias must name the same quantity (give it its own entry or list it in related)',
    ]);
    expect(lintOn('zh-Hans', [entry('gigawatt', '吉瓦', { aliases: ['千兆瓦', 'GW', '兆瓦'] })])).toEqual([
      'a.json: entries[0].aliases[2]: "兆瓦" is 10^6 W and "吉瓦" is 10^9 W: an alias must name the same quantity (give it its own entry or list it in related)',
    ]);
  });

  it('catches a different drug or condition, not a spelling or a brand name', () => {
    expect(
      lintOn('en', [
        entry('lecanemab', 'lecanemab', { aliases: ['Leqembi', 'donanemab'] }),
        entry('fentanyl', 'fentanyl', { aliases: ['fentanil', 'carfentanil'] }),
        entry('myocarditis', 'myocarditis', { aliases: ['pericarditis'] }),
        entry('anemia', 'anemia', { aliases: ['anaemia'] }),
      ]),
    ).toEqual([
      expect.stringMatching(
        /^a\.json: entries\[0\]\.aliases\[1\]: "donanemab" and "lecanemab" look like two different drugs/,
      ),
      expect.stringMatching(
        /^a\.json: entries\[1\]\.aliases\[1\]: "carfentanil" and "fentanyl" look like two different drugs/,
      ),
      expect.stringMatching(
        /^a\.json: entries\[2\]\.aliases\[0\]: "pericarditis" and "myocarditis" look like two different conditions/,
      ),
    ]);
    expect(lintOn('zh-Hans', [entry('lecanemab', '仑卡奈单抗', { aliases: ['多奈单抗'] })])).toEqual([
      expect.stringMatching(/"多奈单抗" and "仑卡奈单抗" look like two different drugs/),
    ]);
    // A renamed disease keeps its long head (脂肪性肝炎); two hepatitis types share only 型肝炎.
    expect(
      lintOn('zh-Hans', [
        entry('mash', '代谢相关脂肪性肝炎', { aliases: ['非酒精性脂肪性肝炎'] }),
        entry('hepatitis-b', '乙型肝炎', { aliases: ['丙型肝炎'] }),
      ]),
    ).toEqual([
      expect.stringMatching(
        /^a\.json: entries\[1\]\.aliases\[0\]: "丙型肝炎" and "乙型肝炎" look like two different conditions/,
      ),
    ]);
  });

  it('catches two members of a numbered series, not one number written two ways', () => {
    expect(
      lintOn('en', [
        entry('trial-phases', 'phase 3 trial', { aliases: ['phase III trial', 'phase 1 trial'] }),
        entry('cop', 'COP climate summit', { aliases: ['COP28', 'COP29'] }),
        entry('bird-flu', 'bird flu', { aliases: ['H5N1', 'H7N9'] }),
        entry('process-node', 'process node', { aliases: ['3 nm', '3-nanometre', '2 nm'] }),
        entry('carbon-dioxide', 'carbon dioxide', { aliases: ['CO2', 'CO₂'] }),
        entry('mass-energy', 'mass–energy equivalence', { aliases: ['E=mc²', 'E=mc2'] }),
      ]),
    ).toEqual([
      'a.json: entries[0].aliases[1]: "phase 1 trial" and "phase 3 trial" differ only in their number (1 and 3): they name two members of a series, and an alias must be another name of the same thing (give it its own entry or list it in related)',
      expect.stringMatching(
        /^a\.json: entries\[1\]\.aliases\[1\]: "COP29" and "COP28" differ only in their number \(29 and 28\)/,
      ),
      expect.stringMatching(
        /^a\.json: entries\[2\]\.aliases\[1\]: "H7N9" and "H5N1" differ only in their number \(7, 9 and 5, 1\)/,
      ),
      expect.stringMatching(/^a\.json: entries\[3\]\.aliases\[2\]: "2 nm" and "3 nm" differ only in their number/),
    ]);
    expect(
      lintOn('zh-Hans', [
        entry('trial-phases', '三期临床试验', { aliases: ['III期临床试验', 'I期临床试验'] }),
        entry('change-program', '嫦娥工程', { aliases: ['嫦娥四号', '嫦娥五号'] }),
        entry('newtons-laws', '牛顿运动定律', { aliases: ['牛顿三定律', '牛顿第一定律', '牛顿第二定律'] }),
      ]),
    ).toEqual([
      expect.stringMatching(
        /^a\.json: entries\[0\]\.aliases\[1\]: "I期临床试验" and "三期临床试验" differ only in their number \(1 and 3\)/,
      ),
      expect.stringMatching(
        /^a\.json: entries\[1\]\.aliases\[1\]: "嫦娥五号" and "嫦娥四号" differ only in their number \(5 and 4\)/,
      ),
      expect.stringMatching(
        /^a\.json: entries\[2\]\.aliases\[2\]: "牛顿第二定律" and "牛顿第一定律" differ only in their number/,
      ),
    ]);
  });

  it('needsContext lists forms of the entry only', () => {
    expect(
      lintOn('en', [
        entry('immune-system', 'immune system', { aliases: ['immunity'], needsContext: ['immunity', 'IRA'] }),
      ]),
    ).toEqual(['a.json: entries[0].needsContext[1]: "IRA" is not the term or an alias of this entry']);
  });

  it('reviewed must be a real day, not in the future', () => {
    expect(
      lintOn('en', [
        entry('a-one', 'a one', { reviewed: '2026-12-07' }),
        entry('a-two', 'a two', { reviewed: '2026-12-08' }),
      ]),
    ).toEqual(['a.json: entries[1].reviewed: "2026-12-08" is in the future (today is 2026-12-07)']);
    const bad = { format: 1, id: 'p', title: 'P', lang: 'en', revision: 1, license: 'CC0' };
    const parsed = GlossaryPackSchema.safeParse({
      ...bad,
      entries: [entry('a-three', 'a three', { reviewed: '2025-02-30' })],
    });
    expect(parsed.success).toBe(false);
    expect(reviewedProblem('2025-02-30', today)).toBe('"2025-02-30" is not a real date');
  });
});
