import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import { installSendPolicy } from '../../bots/telegram/api';
import { createSendLimiter } from '../../bots/telegram/limiter';
import { createTelegramSink } from '../../bots/telegram/sink';
import { createTelegramState } from '../../bots/telegram/state';
import { createEngineHarness } from '../engine/harness';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/server';
import { rssFeed, startFeedServer, type FeedServer, type TestFeedItem } from '../support/feed-server';
import { FAST_LIMITS, GROUP } from '../telegram/harness';

// A digest through the real engine and the real Telegram sink, into the fake Bot API (which
// enforces Telegram's 4,096-character limit and parses the HTML as Telegram does), on a stepped clock.
let server: FeedServer;
let tg: FakeTelegram;
beforeAll(async () => {
  server = await startFeedServer();
  tg = await startFakeTelegram({ limits: FAST_LIMITS });
  tg.addChat({ id: GROUP, type: 'supergroup', title: 'Science group' });
});
afterAll(async () => {
  await tg.close();
  await server.close();
});

const T = (iso: string) => Date.parse(iso);
const story = (n: number): TestFeedItem => ({
  title: `Story ${n} <${n}> & ${Array.from({ length: 30 }, (_, k) => `w${n}x${k}`).join(' ')}`,
  link: `https://news.example/${n}?a=1&b=2`,
  guid: `s-${n}`,
  date: new Date(Date.UTC(2026, 9, 30, 0, n)),
  description: 'Astronomers studied an exoplanet with spectroscopy.',
});

async function telegramEngine(path: string, items: TestFeedItem[], digest: object, lang?: 'zh-Hans') {
  let listed: TestFeedItem[] = [];
  server.route(path, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rssFeed('Space desk', listed));
  });
  const dir = mkdtempSync(join(tmpdir(), 'scipop-digest-tg-'));
  const sinkStore = createSqliteStore(join(dir, 'scipop.db'));
  const api = new Api(tg.token, { apiRoot: tg.apiRoot });
  installSendPolicy(api, createSendLimiter(FAST_LIMITS), 2);
  const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const sink = createTelegramSink({
    api,
    state: createTelegramState(sinkStore),
    store: sinkStore,
    log,
    moderatorIds: [],
    linkPreview: () => false,
  });
  const h = await createEngineHarness(
    {
      channels: [
        {
          id: 'tg',
          sink: 'telegram',
          target: String(GROUP),
          title: 'Science group',
          digest: { at: '08:00', timezone: 'Asia/Shanghai', ...digest },
          ...(lang ? { lang } : {}),
        },
      ],
    },
    { dir, extraSinks: [sink] },
  );
  h.clock.set(T('2026-10-30T10:00:00Z'));
  await h.store.addSource({ url: server.url(path), title: 'Space desk', tags: ['astronomy'] }, h.clock.ms);
  await h.engine.runOnce();
  listed = items;
  h.clock.set(T('2026-10-30T12:00:00Z'));
  await h.engine.runOnce();
  return {
    h,
    close: async () => {
      await h.close().catch(() => undefined);
      await sinkStore.close();
    },
  };
}

describe('a digest into the fake Telegram', () => {
  it('sends a digest too long for one message as numbered parts, in order, each within 4,096 visible characters', async () => {
    const before = tg.messages(GROUP).length;
    const { h, close } = await telegramEngine(
      '/tg1',
      Array.from({ length: 40 }, (_, i) => story(i + 1)),
      { size: 40 },
    );
    expect(tg.messages(GROUP)).toHaveLength(before); // digest-only: nothing posted live
    h.clock.set(T('2026-10-31T00:00:05Z'));
    await h.engine.runOnce();
    await h.engine.runOnce();
    const parts = tg.messages(GROUP).slice(before);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    parts.forEach((p, i) => {
      expect(p.text.length).toBeLessThanOrEqual(4096);
      expect(p.text.split('\n')[0]).toBe(`Science digest · Saturday 31 October 2026 (${i + 1}/${parts.length})`);
    });
    const numbers = parts.flatMap((p) => [...p.text.matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1])));
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Feed text is escaped, and every title links to its article.
    expect(parts[0]!.text).toMatch(/\n1\. Story \d+ <\d+> & w/);
    expect(parts[0]!.html).toContain('<a href="https://news.example/');
    expect(parts[0]!.html).toContain('&amp;b=2');
    await close();
  });

  it('says the digest is late when Telegram held it back past its time (a long 429), and sends it once', async () => {
    const before = tg.messages(GROUP).length;
    const { h, close } = await telegramEngine('/tg2', [story(1), story(2)], {});
    // A wait longer than the sink takes in-process goes back to the outbox with Telegram's wait.
    tg.failNext('sendMessage', {
      code: 429,
      description: 'Too Many Requests: retry after 600',
      parameters: { retry_after: 600 },
    });
    h.clock.set(T('2026-10-31T00:00:05Z'));
    await h.engine.runOnce();
    expect(tg.messages(GROUP)).toHaveLength(before);
    h.clock.set(T('2026-10-31T00:30:00Z'));
    await h.engine.runOnce();
    await h.engine.runOnce();
    const sent = tg.messages(GROUP).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain(
      'Sent late: this digest was due at 08:00 Asia/Shanghai; the bots could not send it then.',
    );
    await close();
  });

  it('sends a Chinese channel’s digest in Chinese: heading, count, field headings, term lines and late notice', async () => {
    const before = tg.messages(GROUP).length;
    const { h, close } = await telegramEngine('/tg3', [story(1), story(2)], {}, 'zh-Hans');
    tg.failNext('sendMessage', {
      code: 429,
      description: 'Too Many Requests: retry after 600',
      parameters: { retry_after: 600 },
    });
    h.clock.set(T('2026-10-31T00:00:05Z'));
    await h.engine.runOnce();
    h.clock.set(T('2026-10-31T00:30:00Z'));
    await h.engine.runOnce();
    await h.engine.runOnce();
    const sent = tg.messages(GROUP).slice(before);
    expect(sent).toHaveLength(1);
    const lines = sent[0]!.text.split('\n');
    expect(lines[0]).toBe('科学摘要 · 2026年10月31日 星期六');
    expect(lines[1]).toBe('Science group · 2 条新闻，来自1 个来源');
    expect(sent[0]!.text).toContain('\n延迟发送：本期摘要原定于 08:00 Asia/Shanghai 发出，当时机器人未能发送。\n');
    expect(sent[0]!.text).toContain('\n天文与航天\n');
    expect(sent[0]!.text).toMatch(/\n {4}系外行星 — \p{Script=Han}/u);
    expect(sent[0]!.text).not.toMatch(/Science digest|stories|Sent late/);
    await close();
  });
});
