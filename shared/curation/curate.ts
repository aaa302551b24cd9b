import { compileSafeRegex, type SafeRegex } from './regex';
import { ChannelRulesSchema, type ChannelRules, type PostingCaps } from './rules';

/** The parts of a feed item that curation looks at (a structural subset of shared/feed's Item). */
export interface CurationItem {
  title: string;
  summary: string;
  categories: readonly string[];
  lang?: string;
  /** ISO 8601 instant. */
  published?: string;
}

/** The parts of a source that curation looks at. */
export interface CurationSource {
  id: string;
  url: string;
  tags: readonly string[];
  lang?: string | null;
  trusted: boolean;
}

/** Rules ready to apply: defaults filled in, keywords folded, regexes compiled. */
export interface CompiledRules {
  rules: ChannelRules;
  include: string[];
  exclude: string[];
  includeRegex: SafeRegex[];
  excludeRegex: SafeRegex[];
}

/** Compiling rules: the compiled form, or every problem found (never just the first). */
export type RulesResult = { ok: true; value: CompiledRules } | { ok: false; errors: string[] };

/** What curation decided for one item and one channel. */
export type Verdict = { post: true; status: 'pending' | 'held' } | { post: false; reason: string };

const fold = (s: string) => s.normalize('NFKC').toLowerCase();

/** Validates and compiles a channel's rules; an invalid regex names itself and what is wrong. */
export function compileRules(input: unknown): RulesResult {
  const parsed = ChannelRulesSchema.safeParse(input ?? {});
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.') || 'rules'}: ${i.message}`) };
  }
  const rules = parsed.data;
  const errors: string[] = [];
  const compile = (list: string[], name: string) =>
    list.flatMap((pattern, i) => {
      const r = compileSafeRegex(pattern);
      if (r.ok) return [r.value];
      errors.push(`${name}[${i}]: ${r.error}`);
      return [];
    });
  const includeRegex = compile(rules.includeRegex, 'includeRegex');
  const excludeRegex = compile(rules.excludeRegex, 'excludeRegex');
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { rules, include: rules.include.map(fold), exclude: rules.exclude.map(fold), includeRegex, excludeRegex },
  };
}

function langMatches(wanted: readonly string[], lang: string | undefined | null): boolean {
  if (wanted.length === 0 || !lang) return true;
  const l = lang.toLowerCase();
  return wanted.some((w) => {
    const p = w.toLowerCase();
    return l === p || l.startsWith(`${p}-`);
  });
}

/**
 * Decides whether one item goes to one channel, and whether it waits for approval. Checks run
 * cheapest first; regexes are linear-time, so a hostile pattern or text cannot stall the poller.
 */
export function curate(compiled: CompiledRules, item: CurationItem, source: CurationSource, now: number): Verdict {
  const { rules } = compiled;
  if (rules.sources.length > 0 && !rules.sources.includes(source.id) && !rules.sources.includes(source.url)) {
    return { post: false, reason: 'source not selected' };
  }
  if (rules.tags.length > 0 && !source.tags.some((t) => rules.tags.includes(t)))
    return { post: false, reason: 'no selected tag' };
  if (!langMatches(rules.langs, item.lang ?? source.lang))
    return { post: false, reason: `language ${item.lang ?? source.lang}` };
  if (rules.maxAgeHours !== undefined && item.published) {
    const at = Date.parse(item.published);
    if (!Number.isNaN(at) && now - at > rules.maxAgeHours * 3_600_000) return { post: false, reason: 'too old' };
  }
  const text = [item.title, item.summary, ...item.categories].join('\n');
  const folded = fold(text);
  const excluded = compiled.exclude.find((k) => folded.includes(k));
  if (excluded) return { post: false, reason: `excluded keyword "${excluded}"` };
  if (compiled.include.length > 0 && !compiled.include.some((k) => folded.includes(k)))
    return { post: false, reason: 'no included keyword' };
  const excludedRe = compiled.excludeRegex.find((r) => r.test(text));
  if (excludedRe) return { post: false, reason: `excluded by /${excludedRe.source}/` };
  if (compiled.includeRegex.length > 0 && !compiled.includeRegex.some((r) => r.test(text)))
    return { post: false, reason: 'no included regex matched' };
  const held = rules.approval === 'all' || (rules.approval === 'untrusted' && !source.trusted);
  return { post: true, status: held ? 'held' : 'pending' };
}

/** Which posting cap a channel has reached, given what it sent in the last hour and day. */
export function capReached(caps: PostingCaps, sentLastHour: number, sentLastDay: number): 'hour' | 'day' | null {
  if (caps.perDay !== undefined && sentLastDay >= caps.perDay) return 'day';
  if (caps.perHour !== undefined && sentLastHour >= caps.perHour) return 'hour';
  return null;
}
