import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes, normalizeCharset } from './charset-decode';

const xml = (encoding: string, title: string) => `<?xml version="1.0" encoding="${encoding}"?><rss><channel><title>${title}</title></channel></rss>`;

describe('decodeFeedBytes', () => {
  it('lets a BOM win over everything', () => {
    const bytes = iconv.encode(xml('ISO-8859-1', 'Ünï'), 'utf-16be', { addBOM: true });
    expect(decodeFeedBytes(bytes, 'text/xml; charset=iso-8859-1')).toMatchObject({ charset: 'utf-16be', source: 'bom', text: xml('ISO-8859-1', 'Ünï') });
  });

  it('uses the header charset when it fits the bytes', () => {
    expect(decodeFeedBytes(iconv.encode(xml('utf-8', 'Новости'), 'win1251'), 'text/xml; charset="windows-1251"')).toMatchObject({ source: 'header', text: expect.stringContaining('Новости') });
  });

  it('uses the XML declaration without a header: GB2312 read as GBK, Big5', () => {
    expect(decodeFeedBytes(iconv.encode(xml('gb2312', '量子纠缠'), 'gbk')).text).toContain('量子纠缠');
    expect(decodeFeedBytes(iconv.encode(xml('big5', '量子糾纏'), 'big5')).text).toContain('量子糾纏');
  });

  it('prefers a valid UTF-8 document that says so over a latin-1 header default', () => {
    expect(decodeFeedBytes(Buffer.from(xml('utf-8', 'café')), 'text/xml; charset=iso-8859-1')).toMatchObject({ charset: 'utf-8', text: expect.stringContaining('café') });
  });

  it('sniffs BOM-less UTF-16/32 from the first bytes', () => {
    expect(decodeFeedBytes(iconv.encode(xml('UTF-16', 'wide'), 'utf-16le'))).toMatchObject({ charset: 'utf-16le', source: 'sniffed' });
    expect(decodeFeedBytes(iconv.encode(xml('UTF-32', 'wider'), 'utf-32le')).text).toContain('wider');
  });

  it('falls back to windows-1252 for bytes that are not UTF-8 and declare nothing', () => {
    expect(decodeFeedBytes(Buffer.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e]))).toMatchObject({ charset: 'windows-1252', text: '<a>é</a>' });
  });
});

describe('normalizeCharset', () => {
  it.each([['UTF8', 'utf-8'], ['GB2312', 'gbk'], ['x-gbk', 'gbk'], ['"Big5"', 'big5'], ['windows-1251', 'windows-1251'], ['bogus-charset', null]])('%s → %s', (input, out) =>
    expect(normalizeCharset(input)).toBe(out),
  );
});
