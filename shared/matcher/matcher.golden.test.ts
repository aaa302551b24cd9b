import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePackText } from '../glossary/load';
import type { Field, GlossaryPack, Level } from '../glossary/schema';
import { compileMatcher, loadMatcher, type FindOptions, type Match } from './index';

interface Case {
  rule: string;
  text: string;
  options?: { firstOnly?: boolean; skip?: string[]; fields?: Field[]; maxLevel?: Level; langs?: string[] };
}

const root = new URL('../../test/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

function pack(path: string): GlossaryPack {
  const result = parsePackText(read(path), path);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

/** Strips the {{surface|id}} marks: the input text and the spans a correct matcher reports. */
function parseCase(marked: string): { text: string; expected: Omit<Match, 'lang'>[] } {
  let text = '';
  const expected: Omit<Match, 'lang'>[] = [];
  const re = /\{\{([^|]+)\|([^}]+)\}\}/g;
  let last = 0;
  for (let m = re.exec(marked); m; m = re.exec(marked)) {
    text += marked.slice(last, m.index);
    expected.push({ start: text.length, end: text.length + m[1]!.length, text: m[1]!, id: m[2]! });
    text += m[1];
    last = m.index + m[0].length;
  }
  return { text: text + marked.slice(last), expected };
}

const packs = [pack('fixtures/glossary/golden-en.json'), pack('fixtures/glossary/golden-zh-hans.json')];
const compiled = compileMatcher(packs);
const loaded = loadMatcher(compiled.serialize());
const { cases } = JSON.parse(read('golden/matcher-cases.json')) as { cases: Case[] };

function toOptions(o: Case['options']): FindOptions {
  if (!o) return {};
  return {
    firstOnly: o.firstOnly,
    skip: o.skip && new Set(o.skip),
    fields: o.fields && new Set(o.fields),
    maxLevel: o.maxLevel,
    langs: o.langs && new Set(o.langs),
  };
}

describe.each([
  ['compiled', compiled],
  ['loaded from its serialized form', loaded],
])('matcher (%s)', (_name, matcher) => {
  it.each(cases.map((c) => [c.rule, c] as const))('%s', (_rule, c) => {
    const { text, expected } = parseCase(c.text);
    const found = matcher
      .find(text, toOptions(c.options))
      .map(({ start, end, text: t, id }) => ({ start, end, text: t, id }));
    expect(found).toEqual(expected);
  });
});

describe('matcher options across calls', () => {
  it('firstOnly with a shared seen set reports an entry once across text nodes', () => {
    const options = { firstOnly: true, seen: new Set<string>() };
    expect(compiled.find('DNA here', options).map((m) => m.id)).toEqual(['dna']);
    expect(compiled.find('DNA again, and an exoplanet', options).map((m) => m.id)).toEqual(['exoplanet']);
    expect([...options.seen]).toEqual(['dna', 'exoplanet']);
  });

  it('reports the language of the entry it matched', () => {
    const [en] = compiled.find('DNA', { langs: new Set(['en']) });
    const [zh] = compiled.find('DNA', { langs: new Set(['zh-Hans']) });
    expect([en?.id, en?.lang, zh?.id, zh?.lang]).toEqual(['dna', 'en', 'dna', 'zh-Hans']);
  });

  it('finds nothing in an empty text or one without terms', () => {
    expect(compiled.find('')).toEqual([]);
    expect(compiled.find('Nothing to see here, just words.')).toEqual([]);
  });
});
