import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseOpml, toOpml } from './opml';

const DEFAULT = fileURLToPath(new URL('./default-sources.opml', import.meta.url));

describe('OPML', () => {
  it('turns nested outlines into tags and reads category, language and SciPop settings', () => {
    const r = parseOpml(`<?xml version="1.0"?>
<opml version="1.0"><head><title>My feeds</title></head><body>
  <outline text="Science">
    <outline text="Space">
      <outline type="rss" text="NASA" xmlUrl="https://nasa.example/rss" htmlUrl="https://nasa.example/" language="en" category="/Missions,/Science/Rockets"/>
    </outline>
    <outline type="rss" title="Lab &amp; Co" text="ignored" xmlUrl="https://lab.example/atom" scipop:trusted="false" scipop:interval="1800"/>
  </outline>
  <outline type="rss" text="Top" xmlUrl="https://top.example/feed"/>
  <outline type="rss" text="Dup" xmlUrl="https://top.example/feed"/>
</body></opml>`);
    expect(r).toEqual({
      ok: true,
      title: 'My feeds',
      value: [
        {
          url: 'https://nasa.example/rss',
          title: 'NASA',
          siteUrl: 'https://nasa.example/',
          lang: 'en',
          tags: ['Science', 'Space', 'Missions', 'Rockets'],
        },
        { url: 'https://lab.example/atom', title: 'Lab & Co', tags: ['Science'], trusted: false, intervalSec: 1800 },
        { url: 'https://top.example/feed', title: 'Top', tags: [] },
      ],
    });
  });

  it('round-trips through export', () => {
    const sources = [
      {
        url: 'https://a.example/rss?x=1&y=2',
        title: 'A "quoted" <feed>',
        tags: ['astronomy', 'physics'],
        lang: 'en',
        siteUrl: 'https://a.example/',
      },
      { url: 'https://b.example/atom', title: '科学网', tags: [], trusted: false, intervalSec: 3600 },
      { url: 'https://c.example/feed', title: 'C', tags: ['astronomy'] },
    ];
    const xml = toOpml(sources, 'Export', new Date('2026-11-29T12:00:00Z'));
    expect(xml).toContain('<opml version="2.0"');
    const back = parseOpml(xml);
    expect(back.ok && back.value).toEqual([sources[0], sources[2], sources[1]]); // grouped by first tag
  });

  it('rejects what is not OPML with one clear line', () => {
    expect(parseOpml('<rss><channel/></rss>')).toEqual({
      ok: false,
      error: 'not an OPML document (no <opml> root element)',
    });
    expect(parseOpml('<opml><body><outline></body></opml>')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not well-formed XML: .+ \(line 1\)$/),
    });
    expect(parseOpml('<!DOCTYPE x [<!ENTITY a "aaaa">]><opml/>')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/DOCTYPE/),
    });
  });

  it('ships a default list of at least 30 real science sources, English and Chinese', () => {
    const r = parseOpml(readFileSync(DEFAULT, 'utf8'));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.length).toBeGreaterThanOrEqual(30);
    expect(new Set(r.value.map((s) => s.url)).size).toBe(r.value.length);
    for (const s of r.value) expect(s.url).toMatch(/^https:\/\/[^/]+\.[a-z]+\//);
    expect(r.value.filter((s) => s.lang?.startsWith('zh')).length).toBeGreaterThanOrEqual(4);
    expect(r.value.filter((s) => s.url.includes('arxiv.org')).length).toBeGreaterThanOrEqual(3);
    expect(r.value.find((s) => s.url.includes('arxiv.org'))?.trusted).toBe(false);
  });
});
