import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { monthsBefore } from '../../shared/glossary/stale';

const bin = join(import.meta.dirname, '../../bots/cli/bin.mjs');

function scipop(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const day = (monthsAgo: number) => monthsBefore(new Date(), monthsAgo);
let n = 0;
const entry = (id: string, over: Record<string, unknown>) => ({
  id,
  term: id.replace(/-/g, ' '),
  fields: ['astronomy'],
  level: 2,
  short: `Plain words, explanation number ${++n}.`,
  long: 'More.',
  sources: [{ title: 'Ref', url: `https://en.wikipedia.org/wiki/${id}` }],
  ...over,
});

function packFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'scipop-stale-')), 'missions.json');
  const entries = [
    entry('europa-clipper', { volatile: true, reviewed: day(2) }),
    entry('artemis-ii', { volatile: true, reviewed: day(14) }),
    entry('tianwen-2', { volatile: true }),
    entry('exoplanet', { reviewed: day(40) }),
    entry('mars-sample-return', { volatile: true, reviewed: day(30) }),
  ];
  writeFileSync(
    file,
    JSON.stringify({ format: 1, id: 'm', title: 'M', lang: 'en', revision: 1, license: 'CC0', entries }),
  );
  return file;
}

describe('scipop glossary stale', () => {
  it('lists volatile entries not reviewed in 12 months, never reviewed first, then oldest', () => {
    const file = packFile();
    const r = scipop(['glossary', 'stale', '--pack', file]);
    expect(r.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/missions\.json: entries\[2\]: tianwen-2 \(en\) never reviewed$/),
      `${file}: entries[4]: mars-sample-return (en) last reviewed ${day(30)}`,
      expect.stringMatching(new RegExp(`entries\\[1\\]: artemis-ii \\(en\\) last reviewed ${day(14)}$`)),
    ]);
    expect(r.stderr).toBe('3 of 4 volatile entries not reviewed in the last 12 month(s)\n');
    expect(r.code).toBe(0);
  });

  it('--months narrows or widens the window; --json gives the same rows', () => {
    const file = packFile();
    const wide = scipop(['glossary', 'stale', '--months', '36', '--json', '--pack', file]);
    expect(JSON.parse(wide.stdout)).toEqual([
      { file: expect.any(String), path: 'entries[2]', id: 'tianwen-2', lang: 'en', reviewed: null },
    ]);
    const narrow = scipop(['glossary', 'stale', '--months', '1', '--pack', file]);
    expect(
      narrow.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(': ')[2]!.split(' ')[0]),
    ).toEqual(['tianwen-2', 'mars-sample-return', 'artemis-ii', 'europa-clipper']);
  });

  it('refuses a bad --months with one clear line and exit 2', () => {
    const r = scipop(['glossary', 'stale', '--months', 'soon']);
    expect(r.stderr).toBe('scipop: --months must be a whole number of months (0 or more), not "soon"\n');
    expect(r.code).toBe(2);
  });

  it('has --help', () => {
    const r = scipop(['glossary', 'stale', '--help']);
    expect(r.stdout).toMatch(/Usage: scipop glossary stale/);
    expect(r.stdout).toMatch(/--months <n>/);
    expect(r.code).toBe(0);
  });

  it('counts months on the calendar', () => {
    expect(monthsBefore(new Date('2026-03-31T10:00:00Z'), 1)).toBe('2026-02-28');
    expect(monthsBefore(new Date('2026-12-07T00:00:00Z'), 12)).toBe('2025-12-07');
  });
});
