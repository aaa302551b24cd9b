import { describe, expect, it } from 'vitest';
import { GlossaryPackSchema, type GlossaryPack } from '../glossary/schema';
import { segmentationBlockers } from './blockers';
import { isShoutedLine, formNeedsContext } from './context';
import { compileMatcher, loadMatcher } from './index';

const entry = (id: string, term: string, fields: string[], over: Record<string, unknown> = {}) => ({
  id,
  term,
  fields,
  level: 2,
  short: 's',
  long: 'l',
  sources: [{ title: 't', url: 'https://example.org/' }],
  ...over,
});
const pack = (lang: string, entries: unknown[]): GlossaryPack =>
  GlossaryPackSchema.parse({ format: 1, id: 'p', title: 'P', lang, revision: 1, license: 'CC0', entries });

const en = pack('en', [
  entry('tuberculosis', 'tuberculosis', ['medicine'], { aliases: ['TB'] }),
  entry('antibiotic', 'antibiotic', ['medicine']),
  entry('terabyte', 'terabyte', ['ai-computing']),
  entry('immune-system', 'immune system', ['medicine'], { aliases: ['immunity'], needsContext: ['immunity'] }),
  entry('dna', 'DNA', ['genetics']),
]);
const ids = (text: string, m = compileMatcher([en])) => m.find(text).map((x) => x.text);

describe('context', () => {
  it('short acronyms need context unless they stand alone; needsContext forms too', () => {
    expect(formNeedsContext('TB', new Set())).toBe(true);
    expect(formNeedsContext('DNA', new Set())).toBe(false);
    expect(formNeedsContext('NASA', new Set())).toBe(false);
  });

  it('a form that needs context counts with a term of its fields or of its own entry, not of another field', () => {
    expect(ids('A 2 TB drive holds a terabyte.')).toEqual(['terabyte']);
    expect(ids('TB needs antibiotics.')).toEqual(['TB', 'antibiotics']);
    expect(ids('TB, or tuberculosis.')).toEqual(['TB', 'tuberculosis']);
    expect(ids('Diplomatic immunity and TB.')).toEqual([]);
  });

  it('context counts even from entries the reader hides, and survives serialization', () => {
    const loaded = loadMatcher(compileMatcher([en]).serialize());
    const options = { skip: new Set(['antibiotic']) };
    expect(loaded.find('TB needs antibiotics.', options).map((m) => m.text)).toEqual(['TB']);
  });

  it('an explicit lookup ignores context and capitals', () => {
    const m = compileMatcher([en]);
    expect(m.find('TB', { ignoreContext: true }).map((x) => x.id)).toEqual(['tuberculosis']);
    expect(m.find('DNA TEST RESULTS', { ignoreContext: true }).map((x) => x.id)).toEqual(['dna']);
    expect(m.find('TB')).toEqual([]);
  });

  it('acronyms are mute in a line of capitals, not in mixed Chinese and Latin text', () => {
    expect(ids('DNA TEST RESULTS ARE IN')).toEqual([]);
    expect(ids('The DNA test.\nBREAKING NEWS')).toEqual(['DNA']);
    expect(isShoutedLine('用CRISPR技术和AI模型', 11, 13)).toBe(false);
  });
});

describe('segmentationBlockers', () => {
  const freq = new Map(
    Object.entries({ 天花板: 172, 天花: 850, 板: 3000, 门卫: 191, 与: 100000, 门: 20000, 卫: 500, 他: 300000 }),
  );
  const dict = { freq, total: 60_000_000 };

  it('keeps a dictionary word that contains a form or overlaps its ends, when jieba would cut there', () => {
    expect(segmentationBlockers(['天花', '与门'], dict)).toEqual(['与门卫', '天花板']);
  });

  it('a form the dictionary prefers is not blocked, and words that are forms are terms', () => {
    expect(segmentationBlockers(['天花板', '天花'], dict)).toEqual([]);
  });

  it('blockers win under leftmost-longest and report nothing', () => {
    const zh = pack('zh-Hans', [entry('smallpox', '天花', ['medicine']), entry('logic-gate', '与门', ['engineering'])]);
    const m = compileMatcher([zh], { blockers: segmentationBlockers(['天花', '与门'], dict) });
    expect(m.find('天花板上，他与门卫谈天花和与门。').map((x) => x.text)).toEqual(['天花', '与门']);
  });
});
