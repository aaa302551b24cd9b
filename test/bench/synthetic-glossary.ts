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
 * A deterministic glossary of `size` terms shaped like a real one: compounds of scientific word
 * parts and phrases built on them (most of a large glossary is absent from any one page), plus a
 * share drawn from the text it will run on, so that some terms occur: rarer words, phrases,
 * acronyms and Chinese n-grams.
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
  const add = (t: string, lang: 'en' | 'zh-Hans' = 'en') =>
    terms.size < size && !terms.has(t.toLowerCase()) && terms.set(t, lang);
  const quota = (n: number, make: () => string | null, lang: 'en' | 'zh-Hans' = 'en') => {
    const goal = Math.min(size, terms.size + n);
    for (let tries = 0; terms.size < goal && tries < n * 20; tries++) {
      const t = make();
      if (t) add(t, lang);
    }
  };
  // Shaped like a real science glossary: most terms are compounds of Greek and Latin word parts
  // (so they share prefixes with real words, as "neuron" shares "neu" with "news"), some are phrases
  // built on them, and a minority occur in the text itself (rarer words, phrases, acronyms, Chinese).
  const prefixes = [
    'bio',
    'neuro',
    'micro',
    'nano',
    'photo',
    'electro',
    'thermo',
    'hydro',
    'geo',
    'astro',
    'cryo',
    'cyto',
    'immuno',
    'radio',
    'magneto',
    'quantum',
    'proto',
    'exo',
    'endo',
    'meta',
    'poly',
    'mono',
    'hetero',
    'homo',
    'iso',
    'para',
    'peri',
    'trans',
    'super',
    'ultra',
    'hyper',
    'hypo',
    'infra',
    'inter',
    'intra',
    'macro',
    'mega',
    'giga',
    'tera',
    'pico',
    'femto',
    'chrono',
    'chemo',
    'spectro',
    'seismo',
    'paleo',
    'onco',
    'cardio',
    'gastro',
    'derma',
    'osteo',
    'myo',
    'hemo',
    'glyco',
    'lipo',
    'phyto',
    'zoo',
    'eco',
    'aero',
    'petro',
  ];
  const roots = [
    'gen',
    'phot',
    'graph',
    'scop',
    'morph',
    'plasm',
    'cyt',
    'lys',
    'troph',
    'phag',
    'therm',
    'dyn',
    'stat',
    'kin',
    'tect',
    'lith',
    'carb',
    'ox',
    'nitr',
    'sulf',
    'phos',
    'chrom',
    'plast',
    'sphere',
    'meter',
    'tron',
    'ton',
    'on',
    'ion',
    'cell',
    'log',
    'path',
    'tox',
    'vir',
    'bact',
    'fung',
    'vasc',
    'neur',
    'derm',
    'myel',
  ];
  const suffixes = [
    'ic',
    'ics',
    'ism',
    'ology',
    'osis',
    'itis',
    'ase',
    'ene',
    'ide',
    'ine',
    'ite',
    'ium',
    'on',
    'ron',
    'tron',
    'genesis',
    'lysis',
    'phore',
    'some',
    'cyte',
    'gram',
    'graphy',
    'scopy',
    'meter',
    'metry',
    'plasty',
    'tomy',
    'al',
    'ar',
    'oid',
    'ane',
    'ol',
    'yl',
    'ase',
    'in',
  ];
  const heads = [
    'effect',
    'receptor',
    'field',
    'model',
    'theory',
    'process',
    'cycle',
    'method',
    'system',
    'index',
    'layer',
    'channel',
    'pathway',
    'factor',
    'gradient',
    'constant',
    'limit',
    'scale',
    'transition',
    'therapy',
  ];
  const compound = () => `${pick(prefixes)}${pick(roots)}${pick(suffixes)}`;
  quota(Math.round(size * 0.45), compound);
  quota(Math.round(size * 0.2), () => `${compound()} ${pick(heads)}`);
  quota(Math.round(size * 0.05), () => `${pick(prefixes)}${pick(roots)}${pick(suffixes)} ${compound()}`);
  quota(Math.round(size * 0.08), () => pick(rare));
  quota(Math.round(size * 0.06), () => {
    const i = Math.floor(random() * (words.length - 1));
    return words[i]!.length > 3 && words[i + 1]!.length > 3 ? `${words[i]} ${words[i + 1]}` : null;
  });
  const acronymList = [...acronyms];
  quota(Math.round(size * 0.04), () =>
    random() < 0.3 && acronymList.length > 0
      ? pick(acronymList)
      : Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'])).join(''),
  );
  quota(
    Math.round(size * 0.05),
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
  quota(size, () => Array.from({ length: 6 + Math.floor(random() * 6) }, () => pick([...letters])).join(''));
  const byLang = (lang: string) =>
    [...terms]
      .filter(([, l]) => l === lang)
      .map(([term], i) => ({
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
  const pack = (lang: string): GlossaryPack => ({
    format: 1,
    id: `synthetic-${lang.toLowerCase()}`,
    title: 'Synthetic',
    lang,
    revision: 1,
    license: 'none',
    entries: byLang(lang),
  });
  return [pack('en'), pack('zh-Hans')];
}
