import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBundledPacks } from '../../bots/glossary/bundled';
import { compileGlossaryMatcher } from '../../bots/glossary/segmentation';
import { loadMatcher } from '../../shared/matcher';

interface Case {
  rule: string;
  text: string;
}

/** Strips the {{surface|id}} marks: the paragraph and the spans a correct matcher reports. */
function parseCase(marked: string) {
  let text = '';
  const expected: { start: number; end: number; text: string; id: string }[] = [];
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

const { cases } = JSON.parse(readFileSync(new URL('../golden/false-alarms.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};
const compiled = compileGlossaryMatcher(loadBundledPacks());
const loaded = loadMatcher(compiled.serialize());

describe.each([
  ['as compiled', compiled],
  ['as shipped (serialized)', loaded],
])('the false alarms of issue 13, bundled glossary %s', (_name, matcher) => {
  it.each(cases.map((c) => [c.rule, c] as const))('%s', (_rule, c) => {
    const { text, expected } = parseCase(c.text);
    expect(matcher.find(text).map(({ start, end, text: t, id }) => ({ start, end, text: t, id }))).toEqual(expected);
  });
});
