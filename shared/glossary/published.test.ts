import { describe, expect, it } from 'vitest';
import { parsePackText } from './load';
import {
  applyPublishedDiff,
  buildPublishedPack,
  diffPublishedEntries,
  PublishedIndexSchema,
  PublishedPathSchema,
  serializePublishedPack,
} from './published';
import { GlossaryEntrySchema, type GlossaryEntry } from './schema';

const entry = (id: string, short: string): GlossaryEntry =>
  GlossaryEntrySchema.parse({
    id,
    term: id.replace(/-/g, ' '),
    fields: ['astronomy'],
    level: 2,
    short,
    long: `${short} More about it.`,
    sources: [{ title: 'Example', url: `https://example.org/${id}` }],
  });
const meta = { name: 'Lab community', license: 'CC-BY-4.0', lang: 'en' };

describe('published packs', () => {
  it('serialize canonically: a parsed file serializes to the same bytes', () => {
    const pack = buildPublishedPack({ ...meta, revision: 3 }, [
      entry('zeta-star', 'A star.'),
      entry('alpha-star', 'Another star.'),
    ]);
    expect(pack.entries.map((e) => e.id)).toEqual(['alpha-star', 'zeta-star']);
    const text = serializePublishedPack(pack);
    const parsed = parsePackText(text, 'packs/en.json');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(serializePublishedPack(parsed.value)).toBe(text);
  });

  it('rebuild the next revision from a diff, byte for byte', () => {
    const r1 = new Map([['en', [entry('alpha-star', 'A star.'), entry('beta-star', 'B star.')]]]);
    const r2 = new Map([
      ['en', [entry('alpha-star', 'A brighter star.'), entry('gamma-star', 'G star.')]],
      ['zh-Hans', [entry('alpha-star', '一颗星。')]],
    ]);
    const changes = diffPublishedEntries(r1, r2);
    expect(changes.map((c) => `${c.op} ${c.lang} ${c.op === 'put' ? c.entry.id : c.id}`)).toEqual([
      'put en alpha-star',
      'put en gamma-star',
      'delete en beta-star',
      'put zh-Hans alpha-star',
    ]);
    const rebuilt = applyPublishedDiff(r1, { format: 1, from: 1, to: 2, changes });
    for (const lang of ['en', 'zh-Hans']) {
      const expected = serializePublishedPack(buildPublishedPack({ ...meta, lang, revision: 2 }, r2.get(lang)!));
      expect(serializePublishedPack(buildPublishedPack({ ...meta, lang, revision: 2 }, rebuilt.get(lang)!))).toBe(
        expected,
      );
    }
    expect(r1.get('en')!.map((e) => e.id)).toEqual(['alpha-star', 'beta-star']);
  });

  it('refuse paths that leave the index folder', () => {
    for (const bad of ['../secret', '/etc/passwd', 'packs/../../x', 'https://evil.example/x', '']) {
      expect(PublishedPathSchema.safeParse(bad).success).toBe(false);
    }
    expect(PublishedPathSchema.safeParse('packs/zh-Hans.json').success).toBe(true);
  });

  it('validate an index', () => {
    const index = {
      format: 1,
      name: 'Lab community',
      revision: 2,
      published: '2026-12-07T04:00:00Z',
      checkAfterSeconds: 3600,
      license: 'CC-BY-4.0',
      files: [{ path: 'packs/en.json', sha256: 'a'.repeat(64), bytes: 10, lang: 'en', entries: 1 }],
    };
    expect(PublishedIndexSchema.parse(index)).toMatchObject({ retired: {}, diffs: [] });
    expect(PublishedIndexSchema.safeParse({ ...index, format: 2 }).success).toBe(false);
  });
});
