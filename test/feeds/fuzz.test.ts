import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../bots/engine/charset-decode';
import { parseFeedText } from '../../bots/engine/parse-feed';
import { FeedSchema } from '../../shared/feed/item';
import { CORPORA, HAVE_CORPORA } from '../support/corpora';

// Damaged copies of real feeds (cut, spliced, tags dropped or duplicated, junk inserted), from a
// fixed seed: every one must come back as a valid feed or a one-line refusal, quickly. Our own
// fixtures always; the corpora's real feeds too where the corpora are.
const OWN = join(import.meta.dirname, '../fixtures/feeds');
const REAL = join(CORPORA, 'feeds/real');
const SEEDS = [
  ...['science.rss', 'relative.atom', 'lab.json', 'windows-1251.xml'].map((f) => [`own/${f}`, join(OWN, f)]),
  ...(HAVE_CORPORA
    ? [
        'rss-parser/guardian.rss',
        'rss-parser/heise.atom',
        'rss-parser/rss-1.rss',
        'feed-extractor/json-feed-standard-realworld.json',
        'node-feedparser/iconv.xml',
      ].map((f) => [f, join(REAL, f)])
    : []),
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const JUNK = [
  '<',
  '>',
  '&',
  '&amp',
  ']]>',
  '<![CDATA[',
  '<!--',
  '</item>',
  '<item>',
  '<entry>',
  '"',
  '\u0000',
  '\ufffd',
  '<!DOCTYPE x [<!ENTITY a "b">]>',
  '&a;',
  '{',
  '}',
  '<script>alert(1)</script>',
];

function mutate(text: string, random: () => number): string {
  const at = () => Math.floor(random() * text.length);
  switch (Math.floor(random() * 5)) {
    case 0:
      return text.slice(0, at());
    case 1: {
      const a = at();
      return text.slice(0, a) + text.slice(a + Math.floor(random() * 200));
    }
    case 2: {
      const a = at();
      return text.slice(0, a) + JUNK[Math.floor(random() * JUNK.length)] + text.slice(a);
    }
    case 3: {
      const a = at();
      const b = at();
      return (
        text.slice(0, Math.min(a, b)) +
        text.slice(Math.min(a, b), Math.max(a, b)).repeat(2) +
        text.slice(Math.max(a, b))
      );
    }
    default:
      return text.replace(/<\/(item|entry|channel|title)>/g, (m) => (random() < 0.3 ? '' : m));
  }
}

describe('damaged feeds', () => {
  it.each(SEEDS)('%s: 60 damaged copies each parse or are refused in one line', async (name, file) => {
    const original = decodeFeedBytes(readFileSync(file)).text;
    const random = rng(name.length * 7919); // the name, not the path: the same seed on every machine;
    let parsed = 0;
    for (let i = 0; i < 60; i++) {
      let text = original;
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) text = mutate(text, random);
      const started = Date.now();
      const result = await parseFeedText(text, { url: 'https://feeds.example/feed' });
      expect(Date.now() - started).toBeLessThan(2000);
      if (result.ok) {
        parsed++;
        expect(FeedSchema.safeParse(result.value).success).toBe(true);
      } else expect(result.error).not.toContain('\n');
    }
    expect(parsed).toBeGreaterThan(0);
  });
});
