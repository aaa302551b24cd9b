import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { postsIn, runScipop, startScipop, writeRunConfig } from './child';

// Child processes start slowly on a loaded 2-core machine (tsx compiles on start).
vi.setConfig({ testTimeout: 120_000 });

/**
 * kill -9 at any moment loses nothing and posts nothing twice, except inside the window between
 * a send and its mark, whose outcome is the configured `delivery.inDoubt` policy.
 */
let server: FeedServer;
const root = mkdtempSync(join(tmpdir(), 'scipop-crash-'));
const FEEDS = 4;
const ITEMS = 30;

beforeAll(async () => {
  server = await startFeedServer();
  for (let f = 1; f <= FEEDS; f++) {
    const items = Array.from({ length: ITEMS }, (_, i) => ({
      title: `Feed ${f} item ${i + 1}`,
      link: `https://news.example/${f}/${i + 1}`,
      guid: `${f}-${i + 1}`,
      date: new Date(Date.UTC(2026, 10, 29, 0, i)),
      description: 'A telescope saw an exoplanet.',
    }));
    server.route(`/f${f}`, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(rssFeed(`Feed ${f}`, items));
    });
  }
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** Titles per channel as printed: `c1|Feed 1 item 3`. */
function printed(stdout: string): { key: string; resent: boolean }[] {
  const blocks = stdout.split(/^─+$/m).slice(1);
  return blocks.flatMap((b) => {
    const m = /^\n\[post \S+ → (\S+)\]( \(re-sent[^)]*\))?\n(.+)$/m.exec(b);
    return m ? [{ key: `${m[1]}|${m[3]}`, resent: Boolean(m[2]) }] : [];
  });
}

function outboxStatus(db: string): Record<string, number> {
  const conn = new Database(db, { readonly: true });
  const rows = conn.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as {
    status: string;
    n: number;
  }[];
  conn.close();
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

function setup(name: string, feeds: number, inDoubt: 'resend' | 'skip', channelConcurrency = 1) {
  const dir = mkdtempSync(join(root, `${name}-`));
  const urls = Array.from({ length: feeds }, (_, i) => server.url(`/f${i + 1}`));
  const config = writeRunConfig(dir, urls, {
    firstFetchPosts: 1000,
    channels: ['c1', 'c2'],
    inDoubt,
    channelConcurrency,
  });
  const db = join(dir, 'scipop.db');
  return { dir, config, db, env: { SCIPOP_DB: db, SCIPOP_ALLOW_PRIVATE_NETWORKS: '1' } };
}

describe('kill -9 in the window between a send and its mark (real child processes)', () => {
  it('resend policy: the in-doubt post is sent again, flagged, and nothing is lost', async () => {
    const s = setup('resend', 1, 'resend');
    const killed = await runScipop(
      ['run', '--once', '--config', s.config],
      { ...s.env, SCIPOP_FAILPOINT: 'after-send:3' },
      s.dir,
    );
    expect(killed.signal).toBe('SIGKILL');
    expect(postsIn(killed.stdout)).toHaveLength(3);
    expect(outboxStatus(s.db)).toEqual({ sent: 2, sending: 1, pending: ITEMS * 2 - 3 });
    const after = await runScipop(['run', '--once', '--config', s.config], s.env, s.dir);
    expect(after.code).toBe(0);
    expect(after.stderr).toContain('resolved deliveries left in doubt by a stopped worker or the previous run');
    const all = [...printed(killed.stdout), ...printed(after.stdout)];
    expect(new Set(all.map((p) => p.key)).size).toBe(ITEMS * 2); // nothing lost
    const third = printed(killed.stdout)[2]!;
    expect(all.filter((p) => p.key === third.key)).toEqual([
      { key: third.key, resent: false },
      { key: third.key, resent: true },
    ]);
    expect(all).toHaveLength(ITEMS * 2 + 1); // the one in-doubt post, and only it, twice
    expect(outboxStatus(s.db)).toEqual({ sent: ITEMS * 2 });
  });

  it('skip policy: the in-doubt post is not sent again, so nothing is posted twice', async () => {
    const s = setup('skip', 1, 'skip');
    const killed = await runScipop(
      ['run', '--once', '--config', s.config],
      { ...s.env, SCIPOP_FAILPOINT: 'after-send:3' },
      s.dir,
    );
    expect(killed.signal).toBe('SIGKILL');
    const after = await runScipop(['run', '--once', '--config', s.config], s.env, s.dir);
    const all = [...printed(killed.stdout), ...printed(after.stdout)];
    expect(all).toHaveLength(ITEMS * 2);
    expect(new Set(all.map((p) => p.key)).size).toBe(ITEMS * 2);
    expect(outboxStatus(s.db)).toEqual({ sent: ITEMS * 2 });
  });

  it('a kill after the claim but before the send: resend delivers it exactly once', async () => {
    const s = setup('claim', 1, 'resend');
    const killed = await runScipop(
      ['run', '--once', '--config', s.config],
      { ...s.env, SCIPOP_FAILPOINT: 'after-claim:5' },
      s.dir,
    );
    expect(killed.signal).toBe('SIGKILL');
    expect(postsIn(killed.stdout)).toHaveLength(4);
    const after = await runScipop(['run', '--once', '--config', s.config], s.env, s.dir);
    const all = [...printed(killed.stdout), ...printed(after.stdout)];
    expect(all).toHaveLength(ITEMS * 2);
    expect(new Set(all.map((p) => p.key)).size).toBe(ITEMS * 2);
  });
});

describe('kill -9 at random moments of a running network (real child processes)', () => {
  it('loses no item, and repeats only posts flagged as in doubt (at most one per kill and channel)', async () => {
    const s = setup('random', FEEDS, 'resend', 2); // both channels delivered side by side
    const expected = FEEDS * ITEMS * 2;
    let stdout = '';
    let kills = 0;
    const rounds: number[] = [];
    for (let round = 0; round < 6; round++) {
      const child = startScipop(['run', '--config', s.config], s.env, s.dir);
      const before = printed(stdout).length;
      // First round: die while polling and committing; later rounds: right after a random
      // number of posts (the kill is sent from the output handler, so it lands mid-delivery).
      const target = 1 + Math.floor(Math.random() * 40);
      await new Promise<void>((resolve) => {
        let stdoutSeen = '';
        const finish = () => {
          clearTimeout(idle);
          resolve();
        };
        // If everything is delivered before the target, stop waiting after a quiet spell (counted
        // from start-up, which takes seconds on a loaded machine, or from the last post).
        let idle = setTimeout(finish, 60_000);
        const quiet = (ms: number) => {
          clearTimeout(idle);
          idle = setTimeout(finish, ms);
        };
        child.proc.stdout!.on('data', (d: Buffer | string) => {
          stdoutSeen += String(d);
          quiet(15_000);
          // Round 0 dies at the first post at the latest: on a fast machine the whole backlog
          // would otherwise go out within the few hundred milliseconds it is given.
          const posts = printed(stdoutSeen).length;
          if ((round === 0 && posts > 0) || (round > 0 && posts >= target)) {
            child.proc.kill('SIGKILL');
            finish();
          }
        });
        child.proc.stderr!.on('data', (d: Buffer | string) => {
          if (!String(d).includes('"msg":"running"')) return;
          if (round === 0) setTimeout(finish, Math.random() * 300);
          // Work left: give the first poll time (it is slow on a loaded machine); none left: move on.
          else if (stdoutSeen === '') quiet(new Set(printed(stdout).map((p) => p.key)).size < expected ? 60_000 : 5000);
        });
      });
      child.proc.kill('SIGKILL');
      const { signal } = await child.exited;
      if (signal === 'SIGKILL') kills++;
      stdout += child.stdout();
      rounds.push(printed(child.stdout()).length);
      expect(printed(stdout).length).toBeGreaterThanOrEqual(before);
    }
    const final = await runScipop(['run', '--once', '--config', s.config], s.env, s.dir);
    expect(final.code).toBe(0);
    // The kills really landed mid-work: several rounds posted part of the backlog.
    expect(rounds.filter((n) => n > 0 && n < expected).length).toBeGreaterThanOrEqual(2);
    console.log(`posts per killed run: ${rounds.join(', ')}; final run: ${printed(final.stdout).length}`);
    const all = printed(stdout + final.stdout);
    const keys = new Set(all.map((p) => p.key));
    expect(keys.size).toBe(expected); // every item reached both channels
    const repeats = all.length - keys.size;
    expect(repeats).toBeLessThanOrEqual(kills * 2); // at most one in doubt per channel in flight
    const seen = new Set<string>();
    for (const p of all) {
      if (seen.has(p.key)) expect(p.resent).toBe(true); // a repeat is always a flagged in-doubt resend
      seen.add(p.key);
    }
    expect(outboxStatus(s.db)).toEqual({ sent: expected });
    const conn = new Database(s.db, { readonly: true });
    expect((conn.prepare('SELECT COUNT(*) AS n FROM items').get() as { n: number }).n).toBe(FEEDS * ITEMS);
    conn.close();
  }, 300_000);
});
