import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runScipop } from '../engine/child';
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
});
