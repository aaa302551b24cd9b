import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { glossaryTerms } from '../../bots/cli/glossary-read';
import { loadBundledPacks } from '../../bots/glossary/bundled';
import type { GlossaryPack } from '../../shared/glossary/schema';
import { compileMatcher, loadMatcher } from '../../shared/matcher';
import { heapUsedMB, timeIt } from './harness';
import { corpusPages } from '../support/page-text';
import { syntheticGlossary } from './synthetic-glossary';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const hasHan = (s: string) => /\p{Script=Han}/u.test(s);
// Forms are literal alternatives: a character class between words (`[\s-]+`) makes V8's regex
// engine a hundred times slower on a large alternation, which would not be a fair baseline.
const body = escape;

/** The combined-alternation baseline: longest forms first, `\b` on Latin forms, flags gi. */
function combinedRegex(forms: string[]): RegExp {
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  const latin = sorted.filter((f) => !hasHan(f)).map(body);
  const han = sorted.filter(hasHan).map(body);
  const parts = [`\\b(?:${latin.join('|')})\\b`];
  if (han.length > 0) parts.push(`(?:${han.join('|')})`);
  return new RegExp(parts.join('|'), 'gi');
}

function countAll(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text)) n++;
  return n;
}

/** Median time to load the serialized matcher in fresh processes (no JIT warm-up, as on a page). */
function coldLoadMs(bytes: Uint8Array): number {
  const file = join(mkdtempSync(join(tmpdir(), 'scipop-bench-')), 'matcher.bin');
  writeFileSync(file, bytes);
  const script = join(import.meta.dirname, 'cold-load.ts');
  const runs = Array.from({ length: 5 }, () => (JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', script, file], { encoding: 'utf8' })) as { loadMs: number }).loadMs);
  return runs.sort((a, b) => a - b)[2]!;
}

type Row = Record<string, string | number>;

/** Benches one glossary: ours against the two named baselines on the same text and surface forms. */
function benchGlossary(name: string, packs: GlossaryPack[], text: string, textMB: number): Row[] {
  // The same surface forms for everyone: written and generated ones, plus the hyphenated spelling
  // of each multiword form (ours matches hyphens for spaces by rule).
  const written = glossaryTerms(packs.map((pack) => ({ file: '', pack }))).map((t) => t.form);
  const forms = [...new Set([...written, ...written.filter((f) => f.includes(' ')).map((f) => f.replace(/ /g, '-'))])];
  const rows: Row[] = [];

  const heap0 = heapUsedMB();
  const t0 = performance.now();
  const matcher = compileMatcher(packs);
  const compileMs = performance.now() - t0;
  const heapMB = heapUsedMB() - heap0;
  const bytes = matcher.serialize();
  const loadCold = coldLoadMs(bytes);
  const load = timeIt(() => void loadMatcher(bytes), 200);
  let ours = 0;
  const find = timeIt(() => void (ours = matcher.find(text).length));
  rows.push({
    glossary: name,
    method: 'scipop matcher',
    forms: forms.length,
    'compile ms': compileMs,
    'serialized KB': bytes.byteLength / 1024,
    'load ms (fresh process / warm)': `${loadCold.toFixed(2)} / ${load.medianMs.toFixed(2)}`,
    'heap MB': heapMB,
    'MB/s': textMB / (find.medianMs / 1000),
    matches: ours,
  });

  const c0 = performance.now();
  const combined = combinedRegex(forms);
  let combinedCount = 0;
  const firstRun = performance.now();
  combinedCount = countAll(combined, text); // the first exec compiles the pattern
  const compileRegexMs = firstRun - c0 + (performance.now() - firstRun);
  const combinedTime = timeIt(() => void countAll(combined, text), 400, 2);
  rows.push({
    glossary: name,
    method: 'baseline: combined regex (gi, \\b)',
    forms: forms.length,
    'compile ms': compileRegexMs,
    'MB/s': textMB / (combinedTime.medianMs / 1000),
    matches: combinedCount,
  });

  // One regex per term, as mark.js does: time an evenly spread sample and scale to the whole set.
  const step = Math.max(1, Math.floor(forms.length / 400));
  const sample = forms.filter((_, i) => i % step === 0);
  const regexes = sample.map((f) => new RegExp(hasHan(f) ? body(f) : `\\b${body(f)}\\b`, 'gi'));
  let perTermSample = 0;
  const perTerm = timeIt(() => {
    perTermSample = 0;
    for (const re of regexes) perTermSample += countAll(re, text);
  }, 400, 2);
  const scale = forms.length / sample.length;
  rows.push({
    glossary: name,
    method: `baseline: one regex per term (${sample.length} sampled, scaled)`,
    forms: forms.length,
    'MB/s': textMB / ((perTerm.medianMs * scale) / 1000),
    matches: `~${Math.round(perTermSample * scale)}`,
  });
  return rows;
}

/** The matcher section of `npm run bench`. */
export async function benchMatcher(): Promise<{ title: string; rows: Row[]; notes: string[] }[]> {
  const pages = corpusPages();
  const text = pages.map((p) => p.text).join('\n\n');
  const textMB = Buffer.byteLength(text) / 1e6;
  const synthetic = syntheticGlossary(pages.map((p) => p.text), 10_000);
  const bundled = loadBundledPacks().map((p) => p.pack);
  const rows = [
    ...benchGlossary(`synthetic 10,000 terms`, synthetic, text, textMB),
    ...benchGlossary(`bundled (${bundled.reduce((n, p) => n + p.entries.length, 0)} entries)`, bundled, text, textMB),
  ];
  const fastestBaseline = (g: string) => Math.max(...rows.filter((r) => r.glossary === g && String(r.method).startsWith('baseline')).map((r) => Number(r['MB/s'])));
  const oursOn = (g: string) => Number(rows.find((r) => r.glossary === g && r.method === 'scipop matcher')!['MB/s']);
  const g10k = rows[0]!.glossary as string;
  const ratio = oursOn(g10k) / fastestBaseline(g10k);
  const bundledRow = rows.find((r) => r.method === 'scipop matcher' && r.glossary !== g10k)!;
  const bundledLoad = Number(String(bundledRow['load ms (fresh process / warm)']).split(' / ')[0]);
  return [
    {
      title: `Matcher: text of ${pages.length} corpus pages (${(textMB * 1000).toFixed(0)} KB UTF-8)`,
      rows,
      notes: [
        `target ≥10× the fastest baseline on 10,000 terms: ${ratio.toFixed(1)}× — ${ratio >= 10 ? 'met' : 'NOT met'}`,
        `target bundled glossary loaded from its serialized form in <5 ms (median of 5 fresh processes): ${bundledLoad.toFixed(2)} ms — ${bundledLoad < 5 ? 'met' : 'NOT met'}`,
        'match counts differ by rule: regexes ignore case for acronyms (AI in "said"? no, but "ai"/"Ai" yes), count inside hyphenated runs, and the per-term baseline counts overlapping terms; ours is non-overlapping leftmost-longest with acronym case rules and soft-hyphen/curly-quote folding.',
      ],
    },
  ];
}
