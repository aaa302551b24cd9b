import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CORPORA, itWithCorpora } from '../support/corpora';

// Each command loads the whole bundled glossary in a fresh process: seconds on a quiet machine,
// tens of seconds on a loaded one.
vi.setConfig({ testTimeout: 180_000 });

const bin = join(import.meta.dirname, '../../bots/cli/bin.mjs');
const fixtures = join(import.meta.dirname, '../fixtures/glossary');
const golden = [join(fixtures, 'golden-en.json'), join(fixtures, 'golden-zh-hans.json')];

function scipop(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', timeout: 150_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scipop glossary', () => {
  it('lint: exit 0 on valid packs', () => {
    const r = scipop(['glossary', 'lint', '--no-quality', ...golden]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ok: 2 pack\(s\), \d+ entries/);
    expect(r.code).toBe(0);
  });

  it('lint: the quality rules catch what the golden glossary does on purpose (an everyday word as a term)', () => {
    const r = scipop(['glossary', 'lint', ...golden]);
    expect(r.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/golden-en\.json: entries\[\d+\]\.term: "cell" is an everyday word/),
    ]);
    expect(r.code).toBe(1);
  });

  it('lint: one line per problem and exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scipop-lint-'));
    const file = join(dir, 'bad.json');
    const base = {
      fields: ['physics'],
      level: 1,
      long: 'More.',
      sources: [{ title: 'x', url: 'https://example.org/x' }],
    };
    writeFileSync(
      file,
      JSON.stringify({
        format: 1,
        id: 'bad',
        title: 'Bad',
        lang: 'en',
        revision: 1,
        license: 'CC-BY-4.0',
        entries: [
          { id: 'quark', term: 'quark', short: 'A tiny particle inside protons.', related: ['gluon'], ...base },
          { id: 'lepton', term: 'lepton', short: 'y'.repeat(212), ...base },
        ],
      }),
    );
    const shape = scipop(['glossary', 'lint', file]);
    expect(shape.stdout.trim().split('\n')).toEqual([`${file}: entries[1].short: too long (212 > 160)`]);
    expect(shape.code).toBe(1);
  });

  it('match: JSON spans with UTF-16 offsets, from standard input', () => {
    const text = '😀 New exoplanets, found with AI, and 量子计算机.';
    const r = scipop(['glossary', 'match', '--pack', ...golden, '--', '-'], text);
    expect(r.code).toBe(0);
    const spans = JSON.parse(r.stdout) as { start: number; end: number; text: string; id: string }[];
    expect(spans).toEqual([
      { start: 7, end: 17, text: 'exoplanets', id: 'exoplanet' },
      { start: 30, end: 32, text: 'AI', id: 'artificial-intelligence' },
      { start: 38, end: 43, text: '量子计算机', id: 'quantum-computer' },
    ]);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('match --lang keeps to one language', () => {
    const r = scipop(['glossary', 'match', '--lang', 'zh-Hans', '--pack', ...golden, '--', '-'], 'exoplanet 量子');
    expect(JSON.parse(r.stdout)).toEqual([{ start: 10, end: 12, text: '量子', id: 'quantum' }]);
  });

  it('terms --json lists written and generated forms with ids', () => {
    const r = scipop(['glossary', 'terms', '--json', '--lang', 'en', '--pack', ...golden]);
    const rows = JSON.parse(r.stdout) as { form: string; id: string; generated?: true }[];
    expect(rows).toContainEqual({ form: 'LLM', id: 'large-language-model', lang: 'en' });
    expect(rows).toContainEqual({ form: 'LLMs', id: 'large-language-model', lang: 'en', generated: true });
    expect(rows.some((row) => row.form === '量子')).toBe(false);
  });

  it('explain: the entry as a reader sees it, by alias in any case', () => {
    const r = scipop(['glossary', 'explain', 'Extrasolar Planet', '--pack', ...golden]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('exoplanet  [en] astronomy · level 2 (informed)');
    expect(r.stdout).toContain('Source: Test <https://example.org/exoplanet>');
    const none = scipop(['glossary', 'explain', 'phlogiston', '--pack', ...golden]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no glossary entry for "phlogiston"/);
  });

  // Seven node + tsx processes one after another: 2–5 s each on a busy 2-core machine.
  it('every subcommand has --help', { timeout: 120_000 }, () => {
    for (const args of [
      [],
      ['glossary'],
      ['glossary', 'lint'],
      ['glossary', 'terms'],
      ['glossary', 'match'],
      ['glossary', 'explain'],
    ]) {
      const r = scipop([...args, '--help']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: scipop/);
    }
  });

  it('an unknown command is a usage error (exit 2), not a stack trace', () => {
    const r = scipop(['glossary', 'frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('scipop glossary gaps', () => {
  const corpora = CORPORA;

  it('ranks unexplained terms in a page and a feed, one text per feed item (our own fixtures)', () => {
    const page = join(import.meta.dirname, '../fixtures/ext/article.html');
    const feed = join(import.meta.dirname, '../fixtures/feeds/science.rss');
    const r = scipop(['glossary', 'gaps', '--json', '--top', '15', '--pack', ...golden, '--', page, feed]);
    expect(r.code, r.stderr).toBe(0);
    const { coverage, candidates } = JSON.parse(r.stdout) as {
      coverage: { texts: number; words: number };
      candidates: { text: string; kind: string; count: number; docs: number }[];
    };
    expect(coverage.texts).toBe(4); // the page and the feed's three items
    expect(coverage.words).toBeGreaterThan(1000);
    expect(candidates).toHaveLength(15);
    expect(candidates.find((c) => c.text === 'carbon dioxide')).toMatchObject({ kind: 'phrase' });
    expect(candidates.find((c) => c.text === 'spectrum')).toMatchObject({ docs: 2 }); // in the page and in an item
    expect(candidates.find((c) => c.text === 'James Webb Space Telescope')).toMatchObject({ kind: 'name' });
    for (const c of candidates) expect(c.count).toBeGreaterThanOrEqual(2);
  });

  itWithCorpora('ranks unexplained terms in real pages and feeds, one text per feed item', () => {
    const page = join(corpora, 'pages/v8-blog.html');
    const feed = join(corpora, 'feeds/real/feedjira/TechCrunch.xml');
    const r = scipop(['glossary', 'gaps', '--json', '--top', '40', '--pack', ...golden, '--', page, feed]);
    expect(r.code, r.stderr).toBe(0);
    const { coverage, candidates } = JSON.parse(r.stdout) as {
      coverage: { texts: number; words: number; matches: number };
      candidates: { text: string; kind: string; count: number; docs: number }[];
    };
    expect(coverage.texts).toBeGreaterThan(5); // the page plus every item of the feed
    expect(coverage.words).toBeGreaterThan(1000);
    expect(candidates.find((c) => c.text === 'WASI')).toMatchObject({ kind: 'acronym' });
    expect(candidates.length).toBeGreaterThan(20);
    expect(candidates.length).toBeLessThanOrEqual(40);
    for (const c of candidates) expect(c.count).toBeGreaterThanOrEqual(2);
  });

  it('leaves out what the glossary already explains', () => {
    const r = scipop(
      ['glossary', 'gaps', '--json', '--pack', ...golden, '--', '-'],
      'The WASI team and WASI people. Another AI, more AI, and AI.',
    );
    const { candidates } = JSON.parse(r.stdout) as { candidates: { text: string }[] };
    expect(candidates.map((c) => c.text)).toEqual(['WASI']);
  });

  it('says clearly when nothing could be read', () => {
    const r = scipop(['glossary', 'gaps', '/nonexistent/file.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/nonexistent\/file\.txt: cannot read \(ENOENT\)\nscipop: no readable text/);
  });
});
