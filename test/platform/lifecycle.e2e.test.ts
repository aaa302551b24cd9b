import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { toOpml } from '../../bots/sources/opml';
import { startScipop, type Child } from '../engine/child';
import { rssFeed, startFeedServer } from '../support/feed-server';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/server';
import { refusedUrl, startHangingServer, startTcpProxy } from '../fakes/unreachable';
import pg from 'pg';
import { LATEST_VERSION } from '../../bots/store/migrations';
import { createTestSchema, TEST_PG_URL, withAdmin } from '../store/postgres';
import { freePort } from '../support/embedded-pg';

vi.setConfig({ testTimeout: 90_000 });

const GROUP = -1001234567890;
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A run config with one Telegram and one Discord destination, and the given feeds as sources. */
function writeConfig(dir: string, feeds: string[] = [], telegram?: Record<string, unknown>): string {
  const opml = join(dir, 'sources.opml');
  writeFileSync(opml, toOpml(feeds.map((url, i) => ({ url, title: `Feed ${i + 1}`, tags: ['astronomy'] }))));
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    stringify({
      sources: { seedOpml: opml, firstFetchPosts: 10, jitter: 0 },
      ...(telegram ? { telegram } : {}),
      channels: [
        { id: 'tg-main', sink: 'telegram', target: String(GROUP), title: 'Science group' },
        { id: 'dc-news', sink: 'discord', target: '1234567890', title: 'News' },
      ],
    }),
  );
  return file;
}

function world(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scipop-lifecycle-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function start(dir: string, env: Record<string, string>, telegram?: Record<string, unknown>): Child {
  const child = startScipop(
    ['run', '--config', writeConfig(dir, env.FEED ? [env.FEED] : [], telegram)],
    { SCIPOP_DB: join(dir, 'scipop.db'), SCIPOP_ALLOW_PRIVATE_NETWORKS: '1', SCIPOP_HTTP_PORT: '0', ...env },
    dir,
  );
  cleanups.push(() => void child.proc.kill('SIGKILL'));
  return child;
}

const opsPort = (child: Child) =>
  waitFor(() => /"port":(\d+),"msg":"serving \/healthz and \/metrics"/.exec(child.stderr())?.[1], 'the ops server');

async function health(port: string): Promise<{ ok: boolean; platforms: Record<string, string> }> {
  return (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as Promise<{
    ok: boolean;
    platforms: Record<string, string>;
  }>;
}

/** Sends SIGTERM and resolves with the exit and how long it took. */
async function terminate(child: Child): Promise<{ code: number | null; signal: string | null; ms: number }> {
  const t0 = Date.now();
  child.proc.kill('SIGTERM');
  const exit = await child.exited;
  return { ...exit, ms: Date.now() - t0 };
}

describe('starting whatever the platforms say', () => {
  it('retries a failing setMyCommands with backoff while the rest runs; /healthz and /metrics say Telegram is not up, then up', async () => {
    const dir = world();
    const tg: FakeTelegram = await startFakeTelegram();
    cleanups.push(() => tg.close());
    tg.addChat({ id: GROUP, type: 'supergroup', title: 'Science group' });
    tg.failNext('setMyCommands', { code: 404, description: 'Not Found: method not found' }, 3);
    const child = start(dir, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot });
    const port = await opsPort(child);
    const early = await health(port);
    expect(early.ok).toBe(true); // the engine runs meanwhile
    expect(early.platforms.telegram).not.toBe('up');
    await waitFor(async () => ((await health(port)).platforms.telegram === 'up' ? true : undefined), 'Telegram up');
    expect(child.stderr()).toContain('could not start taking Telegram updates; trying again in 1 s');
    expect(child.stderr()).toContain('trying again in 2 s');
    // Three refused, then the menu in English (the default) and in Chinese (language_code zh).
    expect(tg.calls.filter((c) => c.method === 'setMyCommands').length).toBe(5);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('scipop_platform_up{platform="telegram",state="up"} 1');
    tg.say(GROUP, tg.user(3), '/explain exoplanet');
    await tg.waitFor(() => tg.messages(GROUP).find((m) => /planet/i.test(m.text)));
    const exit = await terminate(child);
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
  });
});

describe('starting whatever the platforms say: each Telegram start step', () => {
  // 5xx answers are retried by the API client itself (auto-retry: 3 s, then 6 s); other failures by
  // the platform's start loop, which logs them. Either way the rest of the network runs meanwhile.
  const steps = [
    { method: 'getMe', error: { code: 500, description: 'Internal Server Error' }, webhook: false, logged: false },
    { method: 'deleteWebhook', error: { code: 502, description: 'Bad Gateway' }, webhook: false, logged: false },
    { method: 'setWebhook', error: { code: 429, description: 'Too Many Requests' }, webhook: true, logged: true },
  ];
  for (const step of steps)
    it(`retries a failing ${step.method} while the rest runs, then takes commands`, async () => {
      const dir = world();
      const tg: FakeTelegram = await startFakeTelegram();
      cleanups.push(() => tg.close());
      tg.addChat({ id: GROUP, type: 'supergroup', title: 'Science group' });
      tg.failNext(step.method, step.error, 2);
      const hookPort = await freePort();
      const webhook = step.webhook
        ? { webhook: { url: `http://127.0.0.1:${hookPort}/telegram`, port: hookPort, secretToken: 'start-secret' } }
        : undefined;
      const child = start(dir, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot }, webhook);
      const port = await opsPort(child);
      const early = await health(port);
      expect(early.ok).toBe(true);
      expect(early.platforms.telegram).not.toBe('up');
      await waitFor(async () => ((await health(port)).platforms.telegram === 'up' ? true : undefined), 'Telegram up');
      if (step.logged) expect(child.stderr()).toContain('could not start taking Telegram updates; trying again in 1 s');
      expect(tg.calls.filter((c) => c.method === step.method).length).toBe(3);
      tg.say(GROUP, tg.user(3), '/explain exoplanet');
      await tg.waitFor(() => tg.messages(GROUP).find((m) => /planet/i.test(m.text)));
      const exit = await terminate(child);
      expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    });
});

describe('stopping cleanly', () => {
  it('exits within 10 s of SIGTERM with the Discord gateway unreachable (its server gone)', async () => {
    const dir = world();
    const child = start(dir, {
      DISCORD_BOT_TOKEN: 'MTIz.unreachable.token',
      DISCORD_API_BASE: `${await refusedUrl()}/api`,
    });
    const port = await opsPort(child);
    await waitFor(
      () => (child.stderr().includes('could not connect to the Discord gateway') ? true : undefined),
      'a failed connect',
    );
    expect((await health(port)).platforms.discord).toMatch(/retrying|connecting/);
    const exit = await terminate(child);
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(10_000);
  });

  it('exits within 10 s of SIGTERM with Telegram, Discord and a feed all hanging mid-request', async () => {
    const dir = world();
    const hang = await startHangingServer();
    const feed = await startHangingServer();
    cleanups.push(
      () => hang.close(),
      () => feed.close(),
    );
    const child = start(dir, {
      TELEGRAM_BOT_TOKEN: '123:hanging',
      TELEGRAM_API_ROOT: hang.url,
      DISCORD_BOT_TOKEN: 'MTIz.hanging.token',
      DISCORD_API_BASE: `${hang.url}/api`,
      FEED: `${feed.url}/feed.xml`,
    });
    const port = await opsPort(child);
    expect((await health(port)).platforms).toMatchObject({ telegram: 'connecting', discord: 'connecting' });
    // The platforms' start stops waiting after 10 s and the engine starts: SIGTERM comes mid-fetch.
    await waitFor(() => (feed.connections() > 0 ? true : undefined), 'the feed fetch');
    expect((await health(port)).platforms).toMatchObject({ telegram: 'connecting', discord: 'connecting' });
    const exit = await terminate(child);
    expect(exit.code === 0 || exit.code === 1).toBe(true);
    expect(exit.signal).toBeNull();
    expect(exit.ms).toBeLessThan(10_000);
  });

  it('exits within 10 s of SIGTERM while Telegram holds a post, and the next start settles it as a crash would', async () => {
    const dir = world();
    const tg: FakeTelegram = await startFakeTelegram();
    const feeds = await startFeedServer();
    cleanups.push(
      () => tg.close(),
      () => feeds.close(),
    );
    tg.addChat({ id: GROUP, type: 'supergroup', title: 'Science group' });
    feeds.route('/feed.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(
        rssFeed('Desk', [
          {
            title: 'Held post',
            link: 'https://news.example/1',
            guid: 'held-1',
            date: new Date(Date.UTC(2026, 10, 29)),
          },
        ]),
      );
    });
    let held = 0;
    tg.setOnSend(() => {
      held++;
      return new Promise<void>(() => undefined); // Telegram has the post and never answers
    });
    const env = { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, FEED: feeds.url('/feed.xml') };
    const child = start(dir, env);
    await waitFor(() => (held > 0 ? true : undefined), 'a post held by Telegram');
    const exit = await terminate(child);
    expect(exit.signal).toBeNull();
    expect(exit.ms).toBeLessThan(10_000);
    // Started again, the claimed row is in doubt: with the default policy it is sent once more, flagged.
    tg.setOnSend(undefined);
    const again = start(dir, env);
    await tg.waitFor(() => (tg.messages(GROUP).length >= 2 ? true : undefined), 30_000);
    expect(tg.messages(GROUP).map((m) => m.text.split('\n')[0])).toEqual(['Held post', 'Held post']);
    expect((await terminate(again)).code).toBe(0);
  });

  it('exits within 10 s of SIGTERM with PostgreSQL gone, and /healthz says so meanwhile', async () => {
    const dir = world();
    const schema = await createTestSchema();
    cleanups.push(() => schema.drop());
    const url = new URL(schema.url);
    const proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    const hang = await startHangingServer();
    cleanups.push(() => hang.close());
    const child = start(dir, { SCIPOP_DB: url.toString(), FEED: `${hang.url}/feed.xml` });
    const port = await opsPort(child);
    await waitFor(() => (child.stderr().includes('"msg":"running"') ? true : undefined), 'the network running');
    await proxy.cut();
    const unhealthy = await waitFor(async () => {
      const status = (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
      return status !== 200 ? status : undefined;
    }, 'an unhealthy /healthz');
    expect(unhealthy).toBeGreaterThanOrEqual(500);
    const exit = await terminate(child);
    expect(exit.signal).toBeNull();
    expect(exit.ms).toBeLessThan(10_000);
  });

  it('exits within 10 s of SIGTERM mid-migration (a step waiting on a lock); the next start migrates', async () => {
    const dir = world();
    const schema = await createTestSchema();
    cleanups.push(() => schema.drop());
    // Another session creates the schema and has not committed: the migration's first step waits on it.
    const holder = new pg.Client({ connectionString: TEST_PG_URL });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('BEGIN');
    await holder.query(`CREATE SCHEMA ${schema.schema}`);
    const child = start(dir, { SCIPOP_DB: schema.url });
    const waiting = () =>
      withAdmin((c) =>
        c.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'CREATE SCHEMA IF NOT EXISTS ${schema.schema}%'`,
        ),
      );
    await waitFor(async () => ((await waiting()).rows[0].n === 1 ? true : undefined), 'the migration waiting');
    const exit = await terminate(child);
    expect(exit.ms).toBeLessThan(10_000);
    expect(exit.code).toBe(1);
    expect(child.stderr()).toContain('stopped while starting: exiting now');
    await holder.query('ROLLBACK');
    // The server ended the stopped process's session: nothing of it waits or holds the migration lock.
    await waitFor(async () => ((await waiting()).rows[0].n === 0 ? true : undefined), 'the session to end');

    const again = start(dir, { SCIPOP_DB: schema.url });
    await waitFor(() => (again.stderr().includes('"msg":"running"') ? true : undefined), 'the network running');
    expect((await terminate(again)).code).toBe(0);
    const version = await withAdmin((c) =>
      c.query(`SELECT max(version)::int AS v FROM ${schema.schema}.schema_migrations`),
    );
    expect(version.rows[0].v).toBe(LATEST_VERSION);
  });

  it('exits at once on a second signal', async () => {
    const dir = world();
    const hang = await startHangingServer();
    cleanups.push(() => hang.close());
    const child = start(dir, { TELEGRAM_BOT_TOKEN: '123:hanging', TELEGRAM_API_ROOT: hang.url });
    await opsPort(child);
    child.proc.kill('SIGTERM');
    await waitFor(() => (child.stderr().includes('shutting down') ? true : undefined), 'the first signal');
    const t0 = Date.now();
    child.proc.kill('SIGINT');
    const exit = await child.exited;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(exit).toEqual({ code: 1, signal: null });
    expect(child.stderr()).toContain('exiting now: in-flight work is left for the next start');
  });
});
