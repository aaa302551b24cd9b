import iconv from 'iconv-lite';
import { sniffEastAsianCharset } from './charset-sniff';

/** A body decoded to text, with the charset that was used and why. */
export interface DecodedText {
  text: string;
  charset: string;
  /** Where the charset came from. */
  source: 'bom' | 'header' | 'xml-declaration' | 'sniffed' | 'default';
}

const BOMS: [number[], string][] = [
  [[0x00, 0x00, 0xfe, 0xff], 'utf-32be'],
  [[0xff, 0xfe, 0x00, 0x00], 'utf-32le'],
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xfe, 0xff], 'utf-16be'],
  [[0xff, 0xfe], 'utf-16le'],
];

// `<?x` written in a wide encoding without a BOM (XML 1.0 appendix F).
const WIDE_SNIFF: [number[], string][] = [
  [[0x00, 0x00, 0x00, 0x3c], 'utf-32be'],
  [[0x3c, 0x00, 0x00, 0x00], 'utf-32le'],
  [[0x00, 0x3c, 0x00, 0x3f], 'utf-16be'],
  [[0x3c, 0x00, 0x3f, 0x00], 'utf-16le'],
];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Maps the names feeds and servers use to ones iconv-lite knows; null when unknown. */
export function normalizeCharset(name: string | undefined): string | null {
  if (!name) return null;
  let label = name
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (label === 'utf8') label = 'utf-8';
  if (label === 'gb2312' || label === 'x-gbk' || label === 'gb_2312-80' || label === 'euc-cn') label = 'gbk'; // GBK is a superset of GB2312
  if (label === 'big5-hkscs' || label === 'x-x-big5') label = 'big5';
  if (label === 'utf-16' || label === 'utf-32') return label; // endianness decided from the bytes below
  return iconv.encodingExists(label) ? label : null;
}

/** The charset parameter of a Content-Type header. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  return contentType ? /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1] : undefined;
}

/** The encoding="…" of an XML declaration, read from the ASCII-compatible start of the bytes. */
export function charsetFromXmlDeclaration(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  return /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hasNonAscii(bytes: Uint8Array): boolean {
  return bytes.some((b) => b >= 0x80);
}

function decodeWith(bytes: Uint8Array, charset: string, source: DecodedText['source']): DecodedText {
  let name = charset;
  if (name === 'utf-16') name = bytes[0] === 0x00 ? 'utf-16be' : 'utf-16le';
  if (name === 'utf-32') name = bytes[0] === 0x00 ? 'utf-32be' : 'utf-32le';
  let text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name, { stripBOM: true });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, charset: name, source };
}

/**
 * Decodes a feed body. Order: a BOM wins; then the HTTP charset and the XML declaration, where a
 * server that says UTF-8 for bytes that are not UTF-8 loses to the document's own declaration
 * (and a server's latin-1 default loses to a document that is valid UTF-8 and says so).
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): DecodedText {
  for (const [prefix, name] of BOMS) if (startsWith(bytes, prefix)) return decodeWith(bytes, name, 'bom');
  for (const [prefix, name] of WIDE_SNIFF) if (startsWith(bytes, prefix)) return decodeWith(bytes, name, 'sniffed');

  const header = normalizeCharset(charsetFromContentType(contentType));
  const declared = normalizeCharset(charsetFromXmlDeclaration(bytes));
  const utf8ok = isValidUtf8(bytes);

  if (header && header !== declared && declared) {
    // The two disagree: believe the one the bytes agree with.
    if (header === 'utf-8' && !utf8ok) return decodeWith(bytes, declared, 'xml-declaration');
    if (declared === 'utf-8' && utf8ok && hasNonAscii(bytes)) return decodeWith(bytes, declared, 'xml-declaration');
  }
  if (header) return decodeWith(bytes, header, 'header');
  if (declared && !(declared === 'utf-8' && !utf8ok)) return decodeWith(bytes, declared, 'xml-declaration');
  if (utf8ok) return decodeWith(bytes, 'utf-8', 'default');
  // Not UTF-8, whatever it says: a CJK multi-byte encoding if the bytes clearly are one, else
  // windows-1252 (what undeclared Western feeds almost always are).
  return decodeWith(bytes, sniffEastAsianCharset(bytes) ?? 'windows-1252', 'sniffed');
}
