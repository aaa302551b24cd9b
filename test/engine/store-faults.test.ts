import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rssFeed, startFeedServer, type FeedServer, type TestFeedItem } from '../support/feed-server';
import { postsIn, runScipop, startScipop, writeRunConfig } from './child';

// The store on a disk that fills up or turns read-only, with the real `scipop run` on a real
// SQLite file: a small tmpfs stands for the disk (mounting it needs root, which CI has).
vi.setConfig({ testTimeout: 180_000 });

const dir = mkdtempSync(join(tmpdir(), 'scipop-faults-'));
const sh = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

/** Mounts a fresh tmpfs of `mb` MB at `at`; false when this user cannot mount. */
function mountTmpfs(at: string, mb: number): boolean {
  mkdirSync(at, { recursive: true });
  return process.getuid?.() === 0 && sh('mount', '-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', at).status === 0;
}
const unmount = (at: string) => {
  if (existsSync(at)) sh('umount', '-l', at);
};

const probe = join(dir, 'probe');
const canMount = mountTmpfs(probe, 1);
unmount(probe);
if (!canMount) {
  if (process.env.CI)
    throw new Error('store-faults: CI must run as root to mount a small tmpfs for the full-disk test');
  console.log('store-faults: skipping the full-disk test: mounting a small tmpfs needs root (CI runs it)');
}

let server: FeedServer;
const items: TestFeedItem[] = [{ title: 'An exoplanet', guid: 'x1', link: 'https://news.example/x1' }];
beforeAll(async () => {
  server = await startFeedServer();
  server.route('/feed', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rssFeed('Faults', items));
  });
});
afterAll(async () => {
  await server?.close();
  for (const at of ['disk', 'full', 'ro']) unmount(join(dir, at));
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 90_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A config polling every 3 s, so the test sees several passes fail and the next one succeed. */
function fastConfig(at: string, firstFetchPosts: number): string {
  const config = writeRunConfig(at, [server.url('/feed')], { firstFetchPosts });
  const text = readFileSync(config, 'utf8');
  const fast = 'sources:\n  defaultIntervalMinutes: 0.05\n  minIntervalMinutes: 0.05\n  jitter: 0\n';
  writeFileSync(config, text.replace('sources:\n', fast));
  return config;
}

const health = async (port: string) => {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; store?: string } };
};
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe.skipIf(!canMount)('the SQLite store on a full disk', () => {
  it('reports the full disk once and on /healthz, loses nothing, and carries on by itself once space is freed', async () => {
    const disk = join(dir, 'disk');
    expect(mountTmpfs(disk, 32)).toBe(true);
    const db = join(disk, 'scipop.db');
    const config = fastConfig(dir, 1);
    const child = startScipop(
      ['run', '--config', config],
      { SCIPOP_DB: db, SCIPOP_ALLOW_PRIVATE_NETWORKS: '1', SCIPOP_HTTP_PORT: '0' },
      dir,
    );
    try {
      const port = await waitFor(
        'the ops port',
        () => /"port":(\d+),"msg":"serving \/healthz/.exec(child.stderr())?.[1],
      );
      await waitFor('the first post', () => (postsIn(child.stdout()).length === 1 ? true : undefined));
      expect((await health(port)).body.ok).toBe(true);

      // Fill the disk to the last byte, then publish a new item.
      const filler = join(disk, 'filler');
      sh('dd', 'if=/dev/zero', `of=${filler}`, 'bs=64k');
      items.push({ title: 'A comet', guid: 'x2', link: 'https://news.example/x2' });
      const full = await waitFor('/healthz to report the full disk', async () => {
        const h = await health(port);
        return h.status === 503 ? h.body : undefined;
      });
      expect(full.ok).toBe(false);
      expect(full.store).toMatch(/the disk holding the store .*scipop\.db is full/);
      expect(full.store).toContain('Free some space on it: nothing stored is lost');
      // Several passes fail meanwhile; the operator reads one line about it, not a stack per pass.
      await new Promise((r) => setTimeout(r, 8_000));
      expect(postsIn(child.stdout())).toHaveLength(1);
      const errors = child
        .stderr()
        .split('\n')
        .filter((l) => l.includes('"level":50'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('the store cannot write: posting waits until it can');
      expect(errors[0]).toContain('is full');
      expect(child.stderr()).not.toContain('SqliteError');

      rmSync(filler);
      await waitFor('/healthz to be ok again', async () => ((await health(port)).status === 200 ? true : undefined));
      await waitFor('the new item to be posted', () => (postsIn(child.stdout()).length === 2 ? true : undefined));
      expect(child.stderr()).toContain('the store can write again: posting goes on');
      await new Promise((r) => setTimeout(r, 4_000)); // another pass: nothing is posted twice
      expect(postsIn(child.stdout())).toHaveLength(2);
      expect(child.stdout()).toContain('A comet');
    } finally {
      child.proc.kill('SIGTERM');
    }
    expect((await child.exited).code).toBe(0);
    const check = new Database(db, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    const titles = check.prepare('SELECT title FROM items ORDER BY title').all() as { title: string }[];
    check.close();
    expect(titles.map((t) => t.title)).toEqual(['A comet', 'An exoplanet']);
  });

  it('refuses to start on a full disk with one clear line and exit 1', async () => {
    const disk = join(dir, 'full');
    expect(mountTmpfs(disk, 8)).toBe(true);
    try {
      sh('dd', 'if=/dev/zero', `of=${join(disk, 'filler')}`, 'bs=64k');
      const env = { SCIPOP_DB: join(disk, 'scipop.db'), SCIPOP_ALLOW_PRIVATE_NETWORKS: '1' };
      const refused = await runScipop(['run', '--once', '--config', fastConfig(dir, 1)], env, dir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^scipop: the disk holding the store .*scipop\.db is full \(SQLITE_/);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      unmount(disk);
    }
  });
});

describe('the SQLite store on a read-only disk', () => {
  it('refuses to start with a clear message and exit 1, leaving the file as it was, and runs once writable', async () => {
    const at = join(dir, 'ro');
    const mounted = mountTmpfs(at, 32);
    const db = join(at, 'scipop.db');
    const config = fastConfig(dir, 1);
    const env = { SCIPOP_DB: db, SCIPOP_ALLOW_PRIVATE_NETWORKS: '1' };
    const first = await runScipop(['run', '--once', '--config', config], env, dir);
    expect(first.code).toBe(0);
    const before = sha(db);

    // Root ignores file modes, so as root the disk itself turns read-only.
    if (mounted) expect(sh('mount', '-o', 'remount,ro', at).status).toBe(0);
    else {
      chmodSync(db, 0o444);
      chmodSync(at, 0o555);
    }
    const refused = await runScipop(['run', '--once', '--config', config], env, dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^scipop: the store .*scipop\.db cannot be written: it or its folder is read-only/);
    expect(refused.stderr).toContain('Make both writable by the user running SciPop');
    expect(refused.stderr).not.toContain('    at '); // no stack trace
    expect(sha(db)).toBe(before);

    if (mounted) expect(sh('mount', '-o', 'remount,rw', at).status).toBe(0);
    else {
      chmodSync(at, 0o755);
      chmodSync(db, 0o644);
    }
    const again = await runScipop(['run', '--once', '--config', config], env, dir);
    expect(again.stderr).not.toContain('cannot be written');
    expect(again.code).toBe(0);
  });
});
