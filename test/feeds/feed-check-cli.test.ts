import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPORA, itWithCorpora } from '../support/corpora';
import { startFeedServer, type FeedServer } from '../support/feed-server';

// `scipop feed check` as a user runs it: a real process, real files, a real local HTTP server.
const bin = join(import.meta.dirname, '../../bots/cli/bin.mjs');
const corpus = join(CORPORA, 'feeds');
/** The project's own feed fixtures (test/fixtures/feeds), there on every clone. */
const own = join(import.meta.dirname, '../fixtures/feeds');

function scipop(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, SCIPOP_ALLOW_PRIVATE_NETWORKS: '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: child.exitCode ?? (error ? 1 : 0), stdout, stderr }),
    );
  });
}

/** A refusal is exactly one line on stderr, nothing on stdout, exit 2, and no stack trace. */
function expectRefusal(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^scipop feed check: /);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
}

// Each check starts a node + tsx process (1–3 s on a busy 2-core machine): generous timeouts.
const SLOW = 90_000;
let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
});

describe('scipop feed check', () => {
  it(
    'prints a feed file’s items',
    async () => {
      const r = await scipop(['feed', 'check', join(own, 'science.rss')]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Test Science Weekly — rss, 3 items, utf-8\n/);
      expect(r.stdout).toContain('Webb finds water vapour on an exoplanet');
      expect(r.stdout).toContain('https://science.example/2026/webb-water');
    },
    SLOW,
  );

  itWithCorpora(
    'prints a real feed file’s items',
    async () => {
      const r = await scipop(['feed', 'check', join(corpus, 'real/rss-parser/rss-1.rss')]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Science twis — rdf, 69 items, utf-8\n/);
      expect(r.stdout).toContain(
        '1. Food for fungi\n   2017-06-15 17:29Z · Hines, P. J.\n   http://science.sciencemag.org/cgi/content/short/356/6343/1134-a?rss=1',
      );
    },
    SLOW,
  );

  itWithCorpora(
    'prints JSON with --json',
    async () => {
      const r = await scipop([
        'feed',
        'check',
        '--json',
        join(corpus, 'real/feed-extractor/json-feed-standard-realworld.json'),
      ]);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.feed.format).toBe('json');
      expect(report.feed.items).toHaveLength(10);
      expect(report.feed.items[0]).toHaveProperty('key');
    },
    SLOW,
  );

  it(
    'fetches over HTTP when private networks are allowed, and reports a permanent move',
    async () => {
      const r = await scipop(['feed', 'check', server.url('/moved')], { SCIPOP_ALLOW_PRIVATE_NETWORKS: '1' });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Test Science — rss, 2 items/);
      expect(r.stdout).toContain(`moved permanently to ${server.url('/feed.xml')}`);
      expect(r.stdout).toContain('Webb spots water on a distant exoplanet');
    },
    SLOW,
  );

  it(
    'refuses loopback by default',
    async () => {
      const before = server.hits('/feed.xml');
      expectRefusal(
        await scipop(['feed', 'check', server.url('/feed.xml')]),
        /loopback\/private\/link-local .*SCIPOP_ALLOW_PRIVATE_NETWORKS=1/,
      );
      expect(server.hits('/feed.xml')).toBe(before);
    },
    SLOW,
  );

  it(
    'refuses bad files in one line',
    async () => {
      expectRefusal(await scipop(['feed', 'check', 'no-such-feed.xml']), /no such file: no-such-feed\.xml/);
      expectRefusal(await scipop(['feed', 'check', 'ftp://example.org/feed']), /only http\(s\) URLs and files/);
      expectRefusal(
        await scipop(['feed', 'check', join(own, 'notafeed.html')]),
        /not a feed: the document is an HTML page/,
      );
      expectRefusal(await scipop(['feed', 'check', join(own, 'invalid.json')]), /not valid JSON/);
    },
    SLOW,
  );

  it(
    'refuses bad answers from a server in one line',
    async () => {
      const allow = { SCIPOP_ALLOW_PRIVATE_NETWORKS: '1' };
      expectRefusal(await scipop(['feed', 'check', server.url('/bomb')], allow), /entity-expansion bomb/);
      expectRefusal(await scipop(['feed', 'check', server.url('/huge')], allow), /over the 5242880-byte limit/);
      expectRefusal(await scipop(['feed', 'check', server.url('/loop-a')], allow), /redirect loop/);
      expectRefusal(await scipop(['feed', 'check', server.url('/gone')], allow), /HTTP 410/);
    },
    SLOW,
  );
});
