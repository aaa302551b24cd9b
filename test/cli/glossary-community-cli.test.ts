import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runScipop } from '../engine/child';
import { createTestSchema } from '../store/postgres';
import { circumbinary } from '../glossary/community-fixtures';

vi.setConfig({ testTimeout: 120_000 });

const dir = mkdtempSync(join(tmpdir(), 'scipop-community-cli-'));
const env = { SCIPOP_DB: join(dir, 'cli.db') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scipop glossary propose|review|approve|reject|key|publish', () => {
  it('each has --help', async () => {
    for (const cmd of ['propose', 'review', 'approve', 'reject', 'key', 'publish']) {
      const r = await runScipop(['glossary', cmd, '--help'], env, dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: scipop glossary ${cmd}`));
    }
  });

  it('refuses a bad file with one line and exit 2, storing nothing; rejects a draft; a decided or unknown id exits 1', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ lang: 'en', entries: [{ ...circumbinary, short: 'A <i>planet</i>.' }] }));
    const refused = await runScipop(['glossary', 'propose', bad], env, dir);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toBe('scipop: the short explanation contains markup; write plain text only\n');
    expect((await runScipop(['glossary', 'propose', join(dir, 'missing.json')], env, dir)).stderr).toMatch(
      /^scipop: cannot read .*missing\.json \(ENOENT\)\n$/,
    );
    expect((await runScipop(['glossary', 'review', '--json'], env, dir)).stdout).toBe('[]\n');

    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ lang: 'en', entries: [circumbinary] }));
    const id = (await runScipop(['glossary', 'propose', good], env, dir)).stdout.trim();
    expect(await runScipop(['glossary', 'reject', id, '--as', 'Eddie'], env, dir)).toMatchObject({
      code: 0,
      stdout: `${id}: rejected\n`,
    });
    const again = await runScipop(['glossary', 'approve', id, 'nope'], env, dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`${id}: already rejected\nnope: no draft with id nope\n`);
    const key = await runScipop(['glossary', 'key'], env, dir);
    expect(Buffer.from(key.stdout.trim(), 'base64')).toHaveLength(32);
    expect((await runScipop(['glossary', 'key'], env, dir)).stdout).toBe(key.stdout); // kept in the store
  });
  it('works on the PostgreSQL store SCIPOP_DB names: propose, review, approve, key, publish', async () => {
    const t = await createTestSchema();
    const pg = { SCIPOP_DB: t.url };
    try {
      const file = join(dir, 'pg.json');
      writeFileSync(file, JSON.stringify({ lang: 'en', entries: [circumbinary] }));
      const proposed = await runScipop(['glossary', 'propose', file, '--as', 'Alice'], pg, dir);
      expect(proposed).toMatchObject({ code: 0, stderr: '' });
      const id = proposed.stdout.trim();
      const review = JSON.parse((await runScipop(['glossary', 'review', '--json'], pg, dir)).stdout) as unknown[];
      expect(review).toEqual([expect.objectContaining({ id, term: 'circumbinary planet', problems: [] })]);
      expect(await runScipop(['glossary', 'approve', id, '--as', 'Eddie'], pg, dir)).toMatchObject({
        code: 0,
        stdout: `${id}: approved (published revision 2)\n`,
      });
      const key = (await runScipop(['glossary', 'key'], pg, dir)).stdout;
      expect(Buffer.from(key.trim(), 'base64')).toHaveLength(32);
      const out = join(dir, 'pg-static');
      expect((await runScipop(['glossary', 'publish', out], pg, dir)).code).toBe(0);
      const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { revision: number; files: unknown[] };
      expect(index).toMatchObject({ revision: 2, files: [expect.objectContaining({ lang: 'en', entries: 1 })] });
    } finally {
      await t.drop();
    }
  }, 300_000); // five child processes, each starting tsx on a loaded machine
});
