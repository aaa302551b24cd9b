import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { checkFeed, FeedCheckError, formatReport } from '../../bots/cli/feed';
import { decodeFeedBytes } from '../../bots/engine/charset-decode';
import { FeedSchema } from '../../shared/feed/item';

// The rules test/feeds/corpus.test.ts checks on the team's corpora, on the project's own small
// fixtures (test/fixtures/feeds, written here), so a clone without the corpora still tests them.
const DIR = join(import.meta.dirname, '../fixtures/feeds');

async function refusal(file: string): Promise<string> {
  try {
    await checkFeed(join(DIR, file), { allowPrivateNetworks: false });
  } catch (error) {
    if (!(error instanceof FeedCheckError)) throw error;
    return error.message;
  }
  throw new Error(`${file} was accepted`);
}

async function feed(file: string) {
  const report = await checkFeed(join(DIR, file), { allowPrivateNetworks: false });
  expect(FeedSchema.safeParse(report.feed).success).toBe(true);
  expect(new Set(report.feed.items.map((i) => i.key)).size).toBe(report.feed.items.length);
  expect(formatReport(report)).toContain(`${report.feed.items.length} item`);
  return report;
}

describe('feed check on our own fixtures', () => {
  it.each([
    ['comment-only.xml', /not a feed: no root element found/],
    ['invalid.json', /not valid JSON/],
    ['empty.xml', /empty document/],
    ['unknown-root.xml', /root element <note> is not/],
    ['notafeed.html', /HTML page/],
  ])('refuses %s in one short line', async (file, reason) => {
    const message = await refusal(file);
    expect(message).toMatch(reason);
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(400);
  });

  it('reads RSS 2.0: titles, links, guids, dates, authors, enclosures, summaries as plain text', async () => {
    const { feed: f } = await feed('science.rss');
    expect(f.title).toBe('Test Science Weekly');
    expect(f.items.map((i) => [i.title, i.link, i.guid, i.published])).toEqual([
      [
        'Webb finds water vapour on an exoplanet',
        'https://science.example/2026/webb-water',
        'tsw-0001',
        '2026-11-30T09:15:00.000Z',
      ],
      [
        'Vaccine trial: 9 in 10 & counting',
        'https://science.example/2026/vaccine',
        'https://science.example/2026/vaccine',
        '2026-12-01T11:00:00.000Z',
      ],
      [
        "A black hole's meal, seen in X-rays",
        'https://science.example/2026/tde',
        undefined,
        '2026-12-02T08:00:00.000Z',
      ],
    ]);
    // The script and the markup are gone, the text stays.
    expect(f.items[0]!.summary).toBe('The James Webb telescope saw water in a transit spectrum.');
    expect(f.items[1]!.summary).toBe('Antibodies in nine of ten volunteers after one dose.');
    expect(f.items[2]!.image).toBe('https://science.example/img/tde.jpg');
  });

  it('resolves relative links against xml:base, the entry’s own first', async () => {
    const { feed: f } = await feed('relative.atom');
    expect(f.items.map((i) => i.link)).toEqual([
      'https://atom.example/blog/posts/first',
      'https://other.example/second',
    ]);
    expect(f.items[1]!.summary).toBe('Quantum entanglement.');
  });

  it('reads a JSON Feed', async () => {
    const { feed: f } = await feed('lab.json');
    expect(f.format).toBe('json');
    expect(f.items.map((i) => [i.guid, i.image ?? null, i.summary])).toEqual([
      ['j1', 'https://json.example/1.png', 'One gene switched off.'],
      ['j2', null, 'Three degrees, give or take.'],
    ]);
  });

  it('decodes a windows-1251 feed', async () => {
    const report = await feed('windows-1251.xml');
    expect(report.charset).toBe('windows-1251');
    expect(report.feed.title).toBe('Новости науки: тестовая лента');
    expect(report.feed.items[0]!.title).toBe('Учёные нашли воду на экзопланете');
  });

  it('reads a gzip-compressed file', async () => {
    const report = await feed('compressed.xml.gz');
    expect(report.feed.items).toHaveLength(3);
  });

  it('keeps legacy-looking entity text in a query string as written', async () => {
    expect((await feed('legacy-entity.xml')).feed.title).toBe('?page=1&copy=2;mode=x & done');
  });
});

describe('charsets of feeds that do not declare one', () => {
  const zh =
    '<?xml version="1.0"?><rss><channel><title>科学新闻测试</title><item><title>天文学家在一颗系外行星的大气中发现了水蒸气，这是詹姆斯·韦布望远镜的新成果</title>' +
    '<description>疫苗试验招募了一万二千名志愿者，十分之九的参与者产生了抗体。黑洞撕裂了一颗恒星。</description></item></channel></rss>';
  const hant =
    '<?xml version="1.0"?><rss><channel><title>科學新聞測試</title><item><title>天文學家在一顆系外行星的大氣中發現了水蒸氣，這是詹姆斯·韋布望遠鏡的新成果</title>' +
    '<description>疫苗試驗招募了一萬二千名志願者，十分之九的參與者產生了抗體。黑洞撕裂了一顆恆星。</description></item></channel></rss>';
  const ja =
    '<?xml version="1.0"?><rss><channel><title>科学ニュースのテスト</title><item><title>天文学者は系外惑星の大気に水蒸気を発見しました。ジェームズ・ウェッブ宇宙望遠鏡の新しい成果です</title>' +
    '<description>ワクチンの試験には一万二千人のボランティアが参加し、十人に九人が抗体を作りました。</description></item></channel></rss>';
  const ko =
    '<?xml version="1.0"?><rss><channel><title>과학 뉴스 테스트</title><item><title>천문학자들이 외계 행성의 대기에서 수증기를 발견했습니다</title>' +
    '<description>백신 시험에 만 이천 명의 자원봉사자가 참여했고 열 명 중 아홉 명이 항체를 만들었습니다.</description></item></channel></rss>';

  it.each([
    [zh, 'gbk'],
    [hant, 'big5'],
    [ja, 'shift_jis'],
    [ja, 'euc-jp'],
    [ko, 'euc-kr'],
  ])('recognises undeclared %#: %s', (text, charset) => {
    const decoded = decodeFeedBytes(iconv.encode(text, charset));
    expect(decoded.charset).toBe(charset);
    expect(decoded.text).toBe(text);
  });

  it('follows the HTTP header over a guess', () => {
    expect(decodeFeedBytes(iconv.encode(zh, 'gbk'), 'text/xml; charset=GB2312').charset).toMatch(/^gb/i);
  });
});
