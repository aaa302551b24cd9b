import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64';

describe('base64', () => {
  it('round-trips bytes of every length and value', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
      expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
    }
  });

  it('matches the standard alphabet and padding', () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x4d, 0x61]);
    expect(encodeBase64(bytes)).toBe('+/+/TWE=');
    expect(decodeBase64('+/+/TWE')).toEqual(bytes);
  });

  it('refuses text that is not base64', () => {
    expect(() => decodeBase64('ab$d')).toThrow(/unexpected character at 2/);
  });
});
