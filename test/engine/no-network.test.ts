import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../support/embedded-pg';
import { startFeedServer } from '../support/feed-server';
import { runScipop, writeRunConfig } from './child';

// A first start on a machine with no network: every seed source fails to connect. The log says
// so once, plainly, instead of one warning per source; a source that answered before keeps its
// own warning when it fails.
vi.setConfig({ testTimeout: 120_000 });

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const warnings = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string })
    .filter((l) => l.level >= 40);

describe('a first start with no network', () => {
  it('says once that no source could be reached, and what that means', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scipop-nonet-'));
    dirs.push(dir);
    const dead = await freePort(); // nothing listens there: every connection is refused
    const feeds = Array.from({ length: 12 }, (_, i) => `http://127.0.0.1:${dead}/feed-${i}.xml`);
    const config = writeRunConfig(dir, feeds);
    const env = { SCIPOP_DB: join(dir, 'scipop.db'), SCIPOP_ALLOW_PRIVATE_NETWORKS: '1' };
    const r = await runScipop(['run', '--once', '--config', config], env, dir);
    expect(r.stderr).toContain('"errors":12'); // the cycle ran (and --once says it failed by its exit status)
    const said = warnings(r.stderr);
    expect(said.map((l) => l.msg)).toEqual([
      expect.stringMatching(/^no source could be reached \(12 of 12\): .*no network/),
    ]);
    expect(said[0]).toMatchObject({ sources: 12, example: expect.stringMatching(/127\.0\.0\.1/) });
  });

  it('keeps the warning of a source that answered before and now fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scipop-nonet-'));
    dirs.push(dir);
    const server = await startFeedServer();
    const url = server.url('/feed.xml');
    const config = writeRunConfig(dir, [url]);
    const env = { SCIPOP_DB: join(dir, 'scipop.db'), SCIPOP_ALLOW_PRIVATE_NETWORKS: '1' };
    expect((await runScipop(['run', '--once', '--config', config], env, dir)).code).toBe(0);
    await server.close();
    const r = await runScipop(['run', '--once', '--config', config], env, dir);
    expect(warnings(r.stderr).map((l) => l.msg)).toContain('fetch failed');
    expect(r.stderr).not.toContain('no source could be reached');
  });
});
