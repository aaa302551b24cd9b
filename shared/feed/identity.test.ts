import { describe, expect, it } from 'vitest';
import { assignKeys, hashString } from './identity';

const item = (over: Partial<{ guid: string; link: string; title: string; published: string; summary: string }>) => ({
  title: '',
  summary: '',
  ...over,
});

describe('hashString', () => {
  it('is the 64-bit FNV-1a of the code units', () => {
    // Reference values of FNV-1a 64: "" and "a".
    expect(hashString('')).toBe('cbf29ce484222325');
    expect(hashString('a')).toBe('af63dc4c8601ec8c');
  });
  it('matches a BigInt reference on long and non-ASCII input', () => {
    const reference = (text: string) => {
      let h = 0xcbf29ce484222325n;
      for (let i = 0; i < text.length; i++)
        h = ((h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
      return h.toString(16).padStart(16, '0');
    };
    for (const text of ['量子纠缠\u0000🌍 Webb', 'x'.repeat(5000), 'Ünïcödé titles 2024-05-01T10:00:00.000Z'])
      expect(hashString(text)).toBe(reference(text));
  });
  it('differs for near-identical inputs', () => expect(hashString('item 1')).not.toBe(hashString('item 2')));
});

describe('assignKeys', () => {
  it('uses the guid when it is unique in the feed', () => {
    expect(
      assignKeys([item({ guid: 'a', link: 'https://x.org/1' }), item({ guid: 'b', link: 'https://x.org/2' })]),
    ).toEqual(['g:a', 'g:b']);
  });

  it('falls back to the normalized link when guids repeat or are junk', () => {
    const keys = assignKeys([
      item({ guid: 'same', link: 'https://www.X.org/1/?utm_source=rss#top' }),
      item({ guid: 'same', link: 'https://x.org/2' }),
      item({ guid: '0', link: 'http://x.org/3?b=2&a=1' }),
    ]);
    expect(keys).toEqual(['l:x.org/1', 'l:x.org/2', 'l:x.org/3?a=1&b=2']);
  });

  it('hashes title and date when neither guid nor link identifies', () => {
    const keys = assignKeys([item({ title: 'One', published: '2024-01-01T00:00:00.000Z' }), item({ title: 'Two' })]);
    expect(keys[0]).toMatch(/^h:[0-9a-f]{16}$/);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('is stable: the same item gets the same key in a later fetch with other items', () => {
    const a = item({ guid: 'x1', link: 'https://x.org/1', title: 'T' });
    const first = assignKeys([a, item({ guid: 'x2' })])[0];
    const later = assignKeys([item({ guid: 'x0' }), a, item({ guid: 'x2' })])[1];
    expect(later).toBe(first);
  });

  it('keeps an item the same when only its title changes (guid or link identity)', () => {
    expect(assignKeys([item({ guid: 'g', title: 'Old' })])).toEqual(
      assignKeys([item({ guid: 'g', title: 'New title' })]),
    );
    expect(assignKeys([item({ link: 'https://x.org/p', title: 'Old' })])).toEqual(
      assignKeys([item({ link: 'https://x.org/p', title: 'New' })]),
    );
  });

  it('keeps keys short when guids are huge', () => {
    const [key] = assignKeys([item({ guid: 'x'.repeat(100_000) })]);
    expect(key).toMatch(/^g:#[0-9a-f]{16}$/);
  });

  it('makes exact duplicates unique', () => {
    const twin = item({ title: 'Twin' });
    const keys = assignKeys([twin, twin]);
    expect(new Set(keys).size).toBe(2);
    expect(keys[1]).toBe(`${keys[0]}#2`);
  });
});
