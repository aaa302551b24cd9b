import { describe, expect, it } from 'vitest';
import type { LoadedPack } from './load';
import { formatProblem } from './problems';
import { qualityProblems, syllables } from './quality';
import { GlossaryPackSchema } from './schema';

let n = 0;
const entry = (id: string, term: string, over: Record<string, unknown> = {}) => ({
  id,
  term,
  fields: ['biology'],
  level: 2,
  short: `Plain words, explanation number ${++n}.`,
  long: `Why it matters, reason number ${n}.`,
  sources: [{ title: 'Ref', url: `https://en.wikipedia.org/wiki/${id}` }],
  ...over,
});
const loaded = (lang: string, entries: unknown[]): LoadedPack => ({
  file: `${lang}.json`,
  pack: GlossaryPackSchema.parse({ format: 1, id: 'p', title: 'P', lang, revision: 1, license: 'CC-BY-4.0', entries }),
});
const problems = (...packs: LoadedPack[]) => qualityProblems(packs).map(formatProblem);

describe('qualityProblems', () => {
  it('passes plain, distinct explanations', () => {
    expect(problems(loaded('en', [entry('neuron', 'neuron'), entry('synapse', 'synapse')]))).toEqual([]);
  });

  it('flags a long explanation that starts by repeating the term, with or without an article', () => {
    expect(
      problems(
        loaded('en', [
          entry('neuron', 'neuron', { long: 'A neuron is a cell that carries signals.' }),
          entry('synapse', 'synapse', { long: 'Synapses are the gaps between nerve cells.' }),
          entry('axon', 'axon', { long: 'Signals travel along the axon.' }),
        ]),
      ),
    ).toEqual([
      'en.json: entries[0].long: starts by repeating "neuron": start with what it does or why it matters',
      'en.json: entries[1].long: starts by repeating "Synapses": start with what it does or why it matters',
    ]);
  });

  it('flags duplicated explanations, ignoring case and punctuation', () => {
    expect(
      problems(
        loaded('en', [
          entry('a', 'alpha decay', { short: 'A kind of decay.' }),
          entry('b', 'beta decay', { short: 'a kind of decay' }),
        ]),
      ),
    ).toEqual(['en.json: entries[1].short: same explanation as "a"']);
  });

  it('flags everyday single words as forms, but not multiword terms or acronyms', () => {
    expect(
      problems(
        loaded('en', [
          entry('cell', 'cell'),
          entry('stem-cell', 'stem cell', { aliases: ['current'] }),
          entry('it', 'IT'),
        ]),
      ),
    ).toEqual([
      'en.json: entries[0].term: "cell" is an everyday word and would be matched in its everyday sense: use the specific multiword term',
      'en.json: entries[1].aliases[0]: "current" is an everyday word and would be matched in its everyday sense: use the specific multiword term',
    ]);
  });

  it('flags a short explanation that leans on a more specialist term without linking it', () => {
    const pack = loaded('en', [
      entry('vaccine', 'vaccine', { level: 1, short: 'A shot that trains the immune system with an antigen.' }),
      entry('antigen', 'antigen', { level: 3 }),
      entry('booster', 'booster shot', {
        level: 1,
        short: 'Another dose that tops up an antigen response.',
        related: ['antigen'],
      }),
    ]);
    expect(problems(pack)).toEqual([
      'en.json: entries[0].short: uses "antigen" (level 3, above this entry\'s 1) without linking "antigen" in related',
    ]);
  });

  it('flags long English sentences and long Chinese sentences', () => {
    const long = `${Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ')}.`;
    expect(problems(loaded('en', [entry('a', 'alpha decay', { long })]))).toEqual([
      'en.json: entries[0].long: sentences average 30 words (keep under 28)',
    ]);
    const zh = loaded('zh-Hans', [entry('a', '阿尔法衰变', { short: '测'.repeat(51), long: '短句。' })]);
    expect(problems(zh)).toEqual([
      'zh-Hans.json: entries[0].short: a sentence of 51 characters is hard to read (keep each under 50)',
    ]);
  });

  it('flags a short explanation made of long words', () => {
    const short = 'Biochemical interactions regulating intracellular physiological communication.';
    expect(problems(loaded('en', [entry('a', 'alpha decay', { short })]))).toEqual([
      'en.json: entries[0].short: 100% of its words have three or more syllables (keep under 40%): use plainer words',
    ]);
  });
});

describe('syllables', () => {
  it('estimates from vowel groups', () => {
    expect([
      syllables('cat'),
      syllables('table'),
      syllables('make'),
      syllables('animal'),
      syllables('communication'),
    ]).toEqual([1, 2, 1, 3, 5]);
  });
});
