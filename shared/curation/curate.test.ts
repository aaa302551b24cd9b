import { describe, expect, it } from 'vitest';
import { capReached, compileRules, curate, type CompiledRules, type CurationItem, type CurationSource } from './index';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const item = (over: Partial<CurationItem> = {}): CurationItem => ({
  title: 'Webb telescope spots water on an exoplanet',
  summary: 'Astronomers used JWST spectroscopy to detect water vapour.',
  categories: ['Space'],
  lang: 'en',
  published: '2026-11-29T10:00:00Z',
  ...over,
});
const source = (over: Partial<CurationSource> = {}): CurationSource => ({
  id: 's1',
  url: 'https://nasa.example/rss',
  tags: ['astronomy'],
  lang: 'en',
  trusted: true,
  ...over,
});

function rules(input: unknown): CompiledRules {
  const r = compileRules(input);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.value;
}

describe('curate', () => {
  it('passes everything with empty rules and holds untrusted sources for approval', () => {
    const r = rules({});
    expect(curate(r, item(), source(), NOW)).toEqual({ post: true, status: 'pending' });
    expect(curate(r, item(), source({ trusted: false }), NOW)).toEqual({ post: true, status: 'held' });
    expect(curate(rules({ approval: 'all' }), item(), source(), NOW)).toEqual({ post: true, status: 'held' });
    expect(curate(rules({ approval: 'none' }), item(), source({ trusted: false }), NOW)).toEqual({
      post: true,
      status: 'pending',
    });
  });

  it('selects by source id or URL and by tag', () => {
    expect(curate(rules({ sources: ['other'] }), item(), source(), NOW)).toMatchObject({
      post: false,
      reason: 'source not selected',
    });
    expect(curate(rules({ sources: ['https://nasa.example/rss'] }), item(), source(), NOW).post).toBe(true);
    expect(curate(rules({ tags: ['biology'] }), item(), source(), NOW).post).toBe(false);
    expect(curate(rules({ tags: ['biology', 'astronomy'] }), item(), source(), NOW).post).toBe(true);
  });

  it('applies keywords case-insensitively, exclude winning over include', () => {
    expect(curate(rules({ include: ['EXOPLANET'] }), item(), source(), NOW).post).toBe(true);
    expect(curate(rules({ include: ['crispr'] }), item(), source(), NOW)).toMatchObject({
      reason: 'no included keyword',
    });
    expect(curate(rules({ include: ['exoplanet'], exclude: ['space'] }), item(), source(), NOW)).toMatchObject({
      reason: 'excluded keyword "space"',
    });
    expect(curate(rules({ include: ['量子'] }), item({ title: '科学家实现量子纠缠传输' }), source(), NOW).post).toBe(
      true,
    );
  });

  it('applies RE2 regexes', () => {
    expect(curate(rules({ includeRegex: ['\\bjwst\\b'] }), item(), source(), NOW).post).toBe(true);
    expect(curate(rules({ includeRegex: ['^mars'] }), item(), source(), NOW).post).toBe(false);
    expect(curate(rules({ excludeRegex: ['water (vapou?r|ice)'] }), item(), source(), NOW)).toMatchObject({
      reason: 'excluded by /water (vapou?r|ice)/',
    });
  });

  it('filters by language prefix and age', () => {
    expect(curate(rules({ langs: ['zh'] }), item({ lang: 'zh-cn' }), source(), NOW).post).toBe(true);
    expect(curate(rules({ langs: ['zh'] }), item({ lang: 'en-us' }), source(), NOW).post).toBe(false);
    expect(curate(rules({ langs: ['zh'] }), item({ lang: undefined }), source({ lang: null }), NOW).post).toBe(true);
    expect(curate(rules({ maxAgeHours: 1 }), item(), source(), NOW)).toMatchObject({ reason: 'too old' });
    expect(curate(rules({ maxAgeHours: 3 }), item(), source(), NOW).post).toBe(true);
  });

  it('stays linear on a pattern that hangs a backtracking engine', () => {
    const r = rules({ includeRegex: ['(a+)+$', '(x|x)*y'] });
    const hostile = item({ title: 'a'.repeat(100_000) + '!', summary: 'x'.repeat(100_000) });
    const started = performance.now();
    expect(curate(r, hostile, source(), NOW)).toEqual({ post: false, reason: 'no included regex matched' });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('compileRules', () => {
  it('reports every invalid regex and unknown key with a clear line', () => {
    const r = compileRules({ includeRegex: ['(unclosed', 'ok'], excludeRegex: ['(a)\\1'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'includeRegex[0]: invalid regex /(unclosed/: missing closing ): `(unclosed`',
      'excludeRegex[0]: invalid regex /(a)\\1/: invalid escape sequence: `\\1` (backreferences and lookaround are not supported: RE2 syntax)',
    ]);
    const bad = compileRules({ keywords: ['x'], maxAgeHours: -1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join('\n')).toMatch(/keywords/);
  });
});

describe('capReached', () => {
  it('names the cap that is full', () => {
    expect(capReached({}, 100, 1000)).toBeNull();
    expect(capReached({ perHour: 5 }, 5, 5)).toBe('hour');
    expect(capReached({ perHour: 5, perDay: 20 }, 1, 20)).toBe('day');
    expect(capReached({ perHour: 5, perDay: 20 }, 4, 19)).toBeNull();
  });
});
