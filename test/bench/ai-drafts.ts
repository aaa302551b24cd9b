// `npm run bench -- ai-drafts`: drafts of 50 terms the glossary lacks, from the configured
// OpenAI-compatible endpoint (SCIPOP_AI_BASE_URL, SCIPOP_AI_MODEL, SCIPOP_AI_API_KEY). Without one
// it says "skipped: no endpoint" — unless SCIPOP_BENCH_AI_FAKE=1, which runs the same method against
// the fake server of the tests (a demonstration of the method, never a claim about any model).
import { existsSync } from 'node:fs';
import { AiConfigSchema, resolveAiSettings } from '../../bots/ai/config';
import type { Draft, FailedDraft } from '../../bots/ai/drafter';
import { createGlossaryDrafter } from '../../bots/ai/glossary-drafter';
import { loadBundledPacks } from '../../bots/glossary/bundled';
import { findGaps } from '../../shared/glossary/gaps';
import { COMMON_WORDS, COMMON_WORDS_ZH } from '../../shared/glossary/quality';
import { compileMatcher } from '../../shared/matcher';
import { startFakeOpenAI } from '../fakes/openai/server';
import { corpusPages, PAGES_DIR } from '../support/page-text';

const TERMS = 50;

/** The wanted terms the drafts are for: the gap finder's top candidates over the corpus pages. */
function wantedTerms(): string[] {
  const packs = loadBundledPacks();
  const matcher = compileMatcher(packs.map((p) => p.pack));
  const docs = corpusPages().map((p) => p.text);
  return findGaps(docs, { matcher, commonWords: COMMON_WORDS, commonZh: COMMON_WORDS_ZH, limit: TERMS * 2 })
    .filter((c) => !/\p{Script=Han}/u.test(c.text))
    .slice(0, TERMS)
    .map((c) => c.text);
}

// The fake's drafts: by the term's hash, most pass, some need the one fix, some never pass.
const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
const fakeBrain = ({ term, fixes }: { term: string; fixes: string[] }) => {
  const kind = hash(term) % 20;
  const good = {
    id: term,
    term,
    aliases: [],
    related: [],
    short: `A term from the news that this fake model explains in one plain sentence.`,
    long: `The fake writes the same paragraph for every term. It stands in for a real model so that the method can be shown. Its drafts say nothing true about ${term}.`,
    level: 2,
    fields: ['engineering'],
    sources: [{ title: 'Example', url: `https://example.org/${encodeURIComponent(term)}` }],
  };
  const tooLong = { ...good, short: `${good.short} ${'It goes on far longer than a short may. '.repeat(4)}` };
  if (kind < 12) return good;
  if (kind < 17) return fixes.length > 0 ? good : tooLong;
  return tooLong;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** The ai-drafts section. */
export async function benchAiDrafts() {
  const fake =
    !process.env.SCIPOP_AI_BASE_URL && process.env.SCIPOP_BENCH_AI_FAKE === '1'
      ? await startFakeOpenAI({ brain: fakeBrain })
      : null;
  const env = fake ? { SCIPOP_AI_BASE_URL: fake.baseUrl, SCIPOP_AI_MODEL: 'fake-model' } : process.env;
  const settings = resolveAiSettings(AiConfigSchema.parse({ draftsPerDay: TERMS }), env);
  if (!settings)
    return [
      {
        title: 'AI drafts',
        rows: [
          {
            result:
              'skipped: no endpoint (set SCIPOP_AI_BASE_URL and SCIPOP_AI_MODEL, or SCIPOP_BENCH_AI_FAKE=1 for the method on the fake)',
          },
        ],
      },
    ];
  if (!existsSync(PAGES_DIR))
    return [{ title: 'AI drafts', rows: [{ result: `skipped: no corpus pages at ${PAGES_DIR}` }] }];
  const packs = loadBundledPacks();
  const drafter = createGlossaryDrafter(settings, { packs: () => packs, clock: { now: () => new Date() } });
  const results: (Draft | FailedDraft)[] = [];
  try {
    for (const term of wantedTerms()) results.push(await drafter.draft({ term, lang: 'en' }));
  } finally {
    await fake?.close();
  }
  const drafts = results.filter((r): r is Draft => r.ok);
  const first = drafts.filter((d) => d.firstProblems.length === 0).length;
  const afterFix = drafts.filter((d) => d.problems.length === 0).length;
  const pct = (n: number) => `${n} (${Math.round((n * 100) / results.length)}%)`;
  return [
    {
      title: `AI drafts — ${results.length} wanted terms, model ${settings.model}${fake ? ' (the tests’ fake server: the method, not a model)' : ''}`,
      rows: [
        {
          terms: results.length,
          'pass lint first time': pct(first),
          'pass after one fix': pct(afterFix),
          'problems left': pct(drafts.length - afterFix),
          failed: pct(results.length - drafts.length),
          'median s/draft': median(results.map((r) => r.seconds)).toFixed(2),
          'median tokens/draft': median(results.map((r) => r.tokens)),
          'median requests/draft': median(results.map((r) => r.requests)),
        },
      ],
      notes: [...new Set(results.filter((r): r is FailedDraft => !r.ok).map((r) => r.reason))]
        .slice(0, 5)
        .map((r) => `failed: ${r}`),
    },
  ];
}
