import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes, normalizeCharset } from './charset-decode';

const xml = (encoding: string, title: string) =>
  `<?xml version="1.0" encoding="${encoding}"?><rss><channel><title>${title}</title></channel></rss>`;

describe('decodeFeedBytes', () => {
  it('lets a BOM win over everything', () => {
    const bytes = iconv.encode(xml('ISO-8859-1', 'Ünï'), 'utf-16be', { addBOM: true });
    expect(decodeFeedBytes(bytes, 'text/xml; charset=iso-8859-1')).toMatchObject({
      charset: 'utf-16be',
      source: 'bom',
      text: xml('ISO-8859-1', 'Ünï'),
    });
  });

  it('uses the header charset when it fits the bytes', () => {
    expect(
      decodeFeedBytes(iconv.encode(xml('utf-8', 'Новости'), 'win1251'), 'text/xml; charset="windows-1251"'),
    ).toMatchObject({ source: 'header', text: expect.stringContaining('Новости') });
  });

  it('uses the XML declaration without a header: GB2312 read as GBK, Big5', () => {
    expect(decodeFeedBytes(iconv.encode(xml('gb2312', '量子纠缠'), 'gbk')).text).toContain('量子纠缠');
    expect(decodeFeedBytes(iconv.encode(xml('big5', '量子糾纏'), 'big5')).text).toContain('量子糾纏');
  });

  it('prefers a valid UTF-8 document that says so over a latin-1 header default', () => {
    expect(decodeFeedBytes(Buffer.from(xml('utf-8', 'café')), 'text/xml; charset=iso-8859-1')).toMatchObject({
      charset: 'utf-8',
      text: expect.stringContaining('café'),
    });
  });

  it('sniffs BOM-less UTF-16/32 from the first bytes', () => {
    expect(decodeFeedBytes(iconv.encode(xml('UTF-16', 'wide'), 'utf-16le'))).toMatchObject({
      charset: 'utf-16le',
      source: 'sniffed',
    });
    expect(decodeFeedBytes(iconv.encode(xml('UTF-32', 'wider'), 'utf-32le')).text).toContain('wider');
  });

  it('recognises undeclared GBK, Big5, Shift_JIS, EUC-JP and EUC-KR by their text', () => {
    const doc = (title: string) => `<rss><channel><title>${title}</title></channel></rss>`;
    const cases: [string, string][] = [
      ['gbk', '中国科学家在量子通信领域取得重要进展，实现了远距离的量子纠缠分发。'],
      ['big5', '中國科學家在量子通訊領域取得重要進展，實現了遠距離的量子糾纏分發。'],
      ['shift_jis', '量子もつれの実験に成功したと研究チームが発表しました。'],
      ['euc-jp', '量子もつれの実験に成功したと研究チームが発表しました。'],
      ['euc-kr', '연구진이 양자 얽힘 실험에 성공했다고 발표했습니다.'],
    ];
    for (const [charset, title] of cases)
      expect(decodeFeedBytes(iconv.encode(doc(title), charset))).toMatchObject({ charset, text: doc(title) });
  });

  it('falls back to windows-1252 for bytes that are not UTF-8 and declare nothing', () => {
    expect(decodeFeedBytes(iconv.encode("<t>L'été à Paris: café, thé et crème brûlée</t>", 'latin1')).text).toBe(
      "<t>L'été à Paris: café, thé et crème brûlée</t>",
    );
    expect(decodeFeedBytes(Buffer.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e]))).toMatchObject({
      charset: 'windows-1252',
      text: '<a>é</a>',
    });
  });
});

describe('normalizeCharset', () => {
  it.each([
    ['UTF8', 'utf-8'],
    ['GB2312', 'gbk'],
    ['x-gbk', 'gbk'],
    ['"Big5"', 'big5'],
    ['windows-1251', 'windows-1251'],
    ['bogus-charset', null],
  ])('%s → %s', (input, out) => expect(normalizeCharset(input)).toBe(out));
});
