import type { GlossaryPack } from '../../shared/glossary/schema';

/** A deterministic PRNG (mulberry32), so every run benches the same glossary. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A glossary of `size` terms shaped like a real one and drawn from the text it will be run on, so
 * that some terms occur: single rarer words, two- and three-word phrases seen in the text, acronyms,
 * Chinese n-grams, and made-up words that never occur (most of a large glossary is absent from
 * any one page).
 */
export function syntheticGlossary(texts: readonly string[], size: number): GlossaryPack[] {
  const random = rng(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const words: string[] = [];
  const acronyms = new Set<string>();
  const hanRuns: string[] = [];
  for (const text of texts) {
    for (const m of text.matchAll(/[\p{L}]+/gu)) {
      const w = m[0];
      if (/^\p{Script=Han}+$/u.test(w)) hanRuns.push(w);
      else if (/^[A-Z]{2,6}$/.test(w)) acronyms.add(w);
      else words.push(w.toLowerCase());
    }
  }
  const freq = new Map<string, number>();
  for (const w of words) freq.set(w, (freq.get(w) ?? 0) + 1);
  const rare = [...freq.keys()].filter((w) => w.length >= 5 && freq.get(w)! <= 3);
  const terms = new Map<string, 'en' | 'zh-Hans'>();
  const add = (t: string, lang: 'en' | 'zh-Hans' = 'en') => terms.size < size && !terms.has(t.toLowerCase()) && terms.set(t, lang);
  const quota = (n: number, make: () => string | null, lang: 'en' | 'zh-Hans' = 'en') => {
    const goal = Math.min(size, terms.size + n);
    for (let tries = 0; terms.size < goal && tries < n * 20; tries++) {
      const t = make();
      if (t) add(t, lang);
    }
  };
  quota(2500, () => pick(rare));
  quota(2500, () => {
    const i = Math.floor(random() * (words.length - 1));
    return words[i]!.length > 3 && words[i + 1]!.length > 3 ? `${words[i]} ${words[i + 1]}` : null;
  });
  quota(800, () => {
    const i = Math.floor(random() * (words.length - 2));
    return `${words[i]} ${words[i + 1]} ${words[i + 2]}`;
  });
  quota(300, () => pick([...acronyms]));
  quota(
    500,
    () => {
      const run = pick(hanRuns);
      if (run.length < 2) return null;
      const len = 2 + Math.floor(random() * Math.min(3, run.length - 1));
      const at = Math.floor(random() * (run.length - len + 1));
      return run.slice(at, at + len);
    },
    'zh-Hans',
  );
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  quota(size, () => {
    const n = 1 + Math.floor(random() * 3);
    return Array.from({ length: n }, () => Array.from({ length: 5 + Math.floor(random() * 6) }, () => pick([...letters])).join('')).join(' ');
  });
  const byLang = (lang: string) =>
    [...terms].filter(([, l]) => l === lang).map(([term], i) => ({
      id: `t${i}`,
      term,
      aliases: [],
      avoid: [],
      fields: ['physics' as const],
      level: ((i % 3) + 1) as 1 | 2 | 3,
      short: 'Synthetic.',
      long: 'Synthetic.',
      related: [],
      sources: [{ title: 'x', url: 'https://example.org/' }],
    }));
  const pack = (lang: string): GlossaryPack => ({ format: 1, id: `synthetic-${lang.toLowerCase()}`, title: 'Synthetic', lang, revision: 1, license: 'none', entries: byLang(lang) });
  return [pack('en'), pack('zh-Hans')];
}
