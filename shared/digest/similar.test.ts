import { describe, expect, it } from 'vitest';
import { groupStories, linkKey, sameStory, titleTokens } from './similar';

describe('titleTokens', () => {
  it('keeps the identifying words: stopwords dropped, plurals folded, Chinese as character pairs', () => {
    expect([...titleTokens('The Webb telescope finds planets')]).toEqual(['webb', 'telescope', 'planet']);
    expect([...titleTokens('量子纠缠实验')]).toEqual(['量子', '子纠', '纠缠', '缠实', '实验']);
  });
});

describe('sameStory', () => {
  const same = (a: string, b: string) => sameStory(titleTokens(a), titleTokens(b));
  it('matches the same news under two outlets’ headlines', () => {
    expect(
      same('Webb telescope finds water vapour on exoplanet K2-18b', 'James Webb detects water in K2-18b atmosphere'),
    ).toBe(true);
    expect(
      same('CRISPR therapy cures sickle cell disease in trial', 'Sickle cell disease cured by CRISPR therapy'),
    ).toBe(true);
    expect(same('韦布望远镜在K2-18b发现水蒸气', '韦布望远镜发现K2-18b大气中有水蒸气')).toBe(true);
  });
  it('keeps different stories on the same subject apart', () => {
    expect(same('NASA launches new Mars rover', 'NASA delays Mars sample return mission')).toBe(false);
    expect(same('Quantum computer breaks record', 'Fusion reactor breaks record')).toBe(false);
    expect(same('', 'Anything at all')).toBe(false);
  });
});

describe('groupStories', () => {
  it('merges by headline or by the same article link, in input order', () => {
    const groups = groupStories([
      { title: 'Webb telescope finds water vapour on exoplanet K2-18b', link: 'https://nasa.gov/a' },
      { title: 'Fusion reactor breaks record' },
      { title: 'James Webb detects water in K2-18b atmosphere', link: 'https://esa.int/b' },
      { title: 'Totally different words', link: 'http://www.fusion.example/news/1/?utm_source=x' },
      { title: 'Tokamak plasma milestone', link: 'https://fusion.example/news/1' },
    ]);
    expect(groups).toEqual([[0, 2], [1], [3, 4]]);
  });
  it('compares links without scheme, www, query or trailing slash', () => {
    expect(linkKey('http://www.Example.org/a/?x=1#y')).toBe('example.org/a');
    expect(linkKey('ftp://x')).toBeNull();
  });
});
