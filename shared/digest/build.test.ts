import { describe, expect, it } from 'vitest';
import type { Message, MessageTerm } from '../message/message';
import type { TermInfo } from '../message/terms';
import { buildDigest, type DigestCandidate } from './build';
import { digestHeading } from './headings';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-07T00:00:00Z');

const ENTRIES: Record<string, TermInfo> = {
  exoplanet: { term: 'exoplanet', short: 'A planet outside the Solar System.', fields: ['astronomy'], level: 2 },
  telescope: { term: 'telescope', short: 'An instrument that gathers light.', fields: ['astronomy'], level: 1 },
  crispr: { term: 'CRISPR', short: 'A way to edit DNA.', fields: ['genetics', 'biology'], level: 3 },
  tokamak: { term: 'tokamak', short: 'A ring-shaped fusion reactor.', fields: ['energy', 'physics'], level: 3 },
};
const entry = (id: string) => ENTRIES[id];
const term = (id: string): MessageTerm => ({ id, term: ENTRIES[id]!.term, short: ENTRIES[id]!.short, lang: 'en' });

let seq = 0;
function post(
  source: string,
  title: string,
  opts: { terms?: string[]; ageHours?: number; tags?: string[]; link?: string } = {},
) {
  const at = NOW - (opts.ageHours ?? 1) * HOUR;
  const message: Message = {
    title,
    link: opts.link ?? `https://${source.toLowerCase()}.example/${++seq}`,
    source: { title: source },
    published: new Date(at).toISOString(),
    summary: '',
    terms: (opts.terms ?? []).map(term),
    hashtags: opts.tags ?? [],
  };
  return {
    id: `row-${String(seq).padStart(3, '0')}`,
    sourceId: `src-${source}`,
    message,
    at,
  } satisfies DigestCandidate;
}

describe('buildDigest', () => {
  const candidates = [
    post('NASA', 'Webb telescope finds water vapour on exoplanet K2-18b', {
      terms: ['telescope', 'exoplanet'],
      ageHours: 10,
    }),
    post('ESA', 'James Webb detects water in K2-18b atmosphere', { terms: ['exoplanet'], ageHours: 8 }),
    post('Nature', 'CRISPR therapy cures sickle cell disease in trial', { terms: ['crispr'], ageHours: 3 }),
    post('Phys', 'Tokamak holds plasma for a record 20 minutes', { terms: ['tokamak'], ageHours: 20 }),
    post('BBC', 'Museum opens a new wing', { ageHours: 1, tags: ['#earth_climate'] }),
    post('Blog', 'Untagged musings', { ageHours: 0.5 }),
  ];

  it('merges one story from two sources into one line with both linked, and ranks it first', () => {
    const digest = buildDigest(candidates, { now: NOW, size: 10, entry });
    const top = digest.stories[0]!;
    expect(top.title).toBe('Webb telescope finds water vapour on exoplanet K2-18b');
    expect(top.links.map((l) => l.source)).toEqual(['NASA', 'ESA']);
    expect(top.links.map((l) => l.url)).toEqual([candidates[0]!.message.link, candidates[1]!.message.link]);
    expect(digest.considered).toBe(6);
    expect(digest.storyCount).toBe(5);
  });

  it('ranks by sources, then specialism, then recency (the documented formula)', () => {
    const digest = buildDigest(candidates, { now: NOW, size: 10, entry });
    expect(digest.stories.map((s) => s.title.split(' ')[0])).toEqual([
      'Webb',
      'CRISPR',
      'Tokamak',
      'Untagged',
      'Museum',
    ]);
    // 4 × 1 extra source + level 2 (exoplanet outranks telescope) + 2 × 0.5^(8/24)
    expect(digest.stories[0]!.score).toBeCloseTo(4 + 2 + 2 * 0.5 ** (8 / 24), 10);
  });

  it('groups by field in the order of each field’s best story, "More science" last, numbering across sections', () => {
    const digest = buildDigest(candidates, { now: NOW, size: 10, entry });
    expect(digest.sections.map((s) => [s.heading, s.lines.map((l) => l.n)])).toEqual([
      ['Astronomy & space', [1]],
      ['Genetics', [2]],
      ['Energy', [3]],
      ['Earth & climate', [4]],
      ['More science', [5]],
    ]);
    expect(digest.sections[0]!.lines[0]!.term?.id).toBe('exoplanet');
  });

  it('keeps the best `size` stories and only those after the last digest', () => {
    const digest = buildDigest(candidates, { now: NOW, size: 2, since: NOW - 9 * HOUR, entry });
    // The NASA post is older than the last digest: the ESA one stands alone now.
    expect(digest.stories.map((s) => s.links.map((l) => l.source))).toEqual([['Nature'], ['ESA']]);
    expect(digest.considered).toBe(4);
  });

  it('explains each term once per digest, with the story’s next term where one is left', () => {
    const digest = buildDigest(
      [
        post('A', 'Exoplanet one found near red dwarf', { terms: ['exoplanet'], ageHours: 1 }),
        post('B', 'Telescope spots exoplanet two with rings', { terms: ['exoplanet', 'telescope'], ageHours: 2 }),
        post('C', 'Exoplanet three orbits quickly', { terms: ['exoplanet'], ageHours: 3 }),
      ],
      { now: NOW, size: 10, entry },
    );
    expect(digest.sections[0]!.lines.map((l) => l.term?.id)).toEqual(['exoplanet', 'telescope', undefined]);
  });

  it('is the same digest every time for the same rows, in any order', () => {
    const a = buildDigest(candidates, { now: NOW, size: 10, entry });
    const b = buildDigest([...candidates].reverse(), { now: NOW, size: 10, entry });
    expect(b).toEqual(a);
  });
});

describe('digestHeading', () => {
  it('dates the digest in the channel’s time zone', () => {
    // 23:30 UTC on the 6th is already the 7th in Shanghai.
    const at = Date.parse('2026-12-06T23:30:00Z');
    expect(digestHeading(at, 'Asia/Shanghai')).toBe('Science digest · Monday 7 December 2026');
    expect(digestHeading(at, 'Europe/London')).toBe('Science digest · Sunday 6 December 2026');
    expect(digestHeading(at, 'UTC', 'weekly')).toBe('Weekly science digest · week to 6 December 2026');
    expect(digestHeading(at, 'Asia/Shanghai', 'daily', 'zh-Hans')).toBe('科学摘要 · 2026年12月7日 星期一');
    expect(digestHeading(at, 'Europe/London', 'weekly', 'zh-Hans')).toBe('每周科学摘要 · 截至2026年12月6日的一周');
  });
});
