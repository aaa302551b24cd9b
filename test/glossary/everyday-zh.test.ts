import { describe, expect, it } from 'vitest';
import { everydayChineseWords, EVERYDAY_ZH_COUNT } from '../../bots/glossary/segmentation';
import everyday from '../../shared/glossary/everyday-zh.json';
import type { LoadedPack } from '../../shared/glossary/load';
import { formatProblem } from '../../shared/glossary/problems';
import { EVERYDAY_ZH, qualityProblems } from '../../shared/glossary/quality';
import { GlossaryPackSchema } from '../../shared/glossary/schema';

const pack = (entries: unknown[]): LoadedPack => ({
  file: 'zh.json',
  pack: GlossaryPackSchema.parse({
    format: 1,
    id: 'z',
    title: 'Z',
    lang: 'zh-Hans',
    revision: 1,
    license: 'CC0',
    entries,
  }),
});
const entry = (id: string, term: string, over: Record<string, unknown> = {}) => ({
  id,
  term,
  fields: ['genetics'],
  level: 1,
  short: `遗传信息的单位，编号${id.length}。`,
  long: '更多内容。',
  sources: [{ title: '百科', url: `https://zh.wikipedia.org/wiki/${id}` }],
  ...over,
});

describe('everyday Chinese words', () => {
  it('are the most frequent words of jieba’s dictionary, as written to everyday-zh.json', () => {
    expect(everyday.words).toEqual(everydayChineseWords());
    expect(everyday.words).toHaveLength(EVERYDAY_ZH_COUNT);
  });

  it('hold the everyday words of news and not the specialist ones', () => {
    for (const word of ['我们', '经济', '公司', '基因', '病毒']) expect(EVERYDAY_ZH.has(word), word).toBe(true);
    for (const word of ['位错', '与门', '日食', '黑洞', '量子纠缠']) expect(EVERYDAY_ZH.has(word), word).toBe(false);
  });

  it('as a form, need context: the quality rules say so unless the entry lists it in needsContext', () => {
    const problems = qualityProblems([
      pack([entry('gene', '基因'), entry('genome', '基因组'), entry('virus', '病毒', { needsContext: ['病毒'] })]),
    ]).map(formatProblem);
    expect(problems.filter((p) => p.includes('everyday Chinese word'))).toEqual([
      'zh.json: entries[0].term: "基因" is an everyday Chinese word (everyday-zh.json) with senses outside science: list it in needsContext, or use the specific longer term',
    ]);
  });
});
