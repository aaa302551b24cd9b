import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SinkError } from '../../bots/engine/sinks/types';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { Store } from '../../bots/store/types';
import { installSendPolicy } from '../../bots/telegram/api';
import { createSendLimiter } from '../../bots/telegram/limiter';
import { createTelegramSink, type TelegramSink } from '../../bots/telegram/sink';
import { createTelegramState, type TelegramState } from '../../bots/telegram/state';
import type { Message } from '../../shared/message/message';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/server';
import { FAST_LIMITS, GROUP } from './harness';

/** The sink over the real grammY client, the fake Bot API and a real SQLite store. */
let tg: FakeTelegram;
let store: Store;
let state: TelegramState;
let sink: TelegramSink;
let dir: string;
const logged: { level: string; msg?: string }[] = [];
const log = {
  debug: () => {},
  info: (_o: object, msg?: string) => void logged.push({ level: 'info', msg }),
  warn: (_o: object, msg?: string) => void logged.push({ level: 'warn', msg }),
  error: (_o: object, msg?: string) => void logged.push({ level: 'error', msg }),
};
const target = { channelId: 'tg-main', target: String(GROUP), title: 'Science group' };
const message: Message = {
  title: 'A & B',
  link: 'https://news.example/1',
  source: { title: 'Src' },
  summary: 'Short summary.',
  terms: [],
  hashtags: [],
};
const MOD = 42;

beforeEach(async () => {
  tg = await startFakeTelegram({ limits: FAST_LIMITS });
  tg.addChat({ id: GROUP, type: 'supergroup', title: 'Science group' });
  tg.addChat({ id: MOD, type: 'private' });
  dir = mkdtempSync(join(tmpdir(), 'scipop-tg-sink-'));
  store = createSqliteStore(join(dir, 'scipop.db'));
  state = createTelegramState(store);
  const api = new Api(tg.token, { apiRoot: tg.apiRoot });
  installSendPolicy(api, createSendLimiter(FAST_LIMITS), 2);
  sink = createTelegramSink({ api, state, store, log, moderatorIds: [MOD], linkPreview: () => false });
  logged.length = 0;
});
afterEach(async () => {
  await store.close();
  await tg.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = (deliveryId: string, m: Message = message, inDoubt = false) =>
  sink.send(target, m, { deliveryId, inDoubt });

describe('the Telegram sink', () => {
  it('hands a 429 longer than maxRetryAfterSeconds back to the outbox with Telegram’s wait', async () => {
    tg.failNext('sendMessage', {
      code: 429,
      description: 'Too Many Requests: retry after 500',
      parameters: { retry_after: 500 },
    });
    const error = await send('d1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 500_000 });
    expect(tg.messages(GROUP)).toHaveLength(0);
  });

  it('sends a post Telegram could not parse as plain text rather than losing it, and says so', async () => {
    tg.failNext('sendMessage', {
      code: 400,
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 3',
    });
    const { remoteId } = await send('d2');
    const [post] = tg.messages(GROUP);
    expect(post!.html).toBeUndefined(); // no parse_mode the second time
    expect(post!.text.split('\n')[0]).toBe('A & B');
    expect(remoteId).toBe(`${GROUP}:${post!.message_id}`);
    expect(logged.some((l) => l.level === 'error' && /could not parse/.test(l.msg ?? ''))).toBe(true);
  });

  it('posts as text when the caption would lose a long summary, as a photo when it fits', async () => {
    await send('d3', { ...message, image: 'https://img.example/a.jpg', summary: 'word '.repeat(400) });
    await send('d4', { ...message, image: 'https://img.example/b.jpg' });
    expect(tg.messages(GROUP).map((m) => m.kind)).toEqual(['text', 'photo']);
    expect(tg.messages(GROUP)[0]!.text).toContain('word word');
  });

  it('does not resend an in-doubt post the journal saw go out; sends one it did not', async () => {
    await send('d5');
    await send('d5', message, true);
    expect(tg.messages(GROUP)).toHaveLength(1);
    expect(logged.some((l) => /already sent \(journal\)/.test(l.msg ?? ''))).toBe(true);
    await send('d6', message, true);
    expect(tg.messages(GROUP)).toHaveLength(2);
  });

  it('tells the moderators of a notice once, however many channels it concerns', async () => {
    await sink.notify(target, 'Source paused: X');
    await sink.notify({ ...target, channelId: 'other' }, 'Source paused: X');
    expect(tg.messages(MOD).map((m) => m.text)).toEqual(['Source paused: X']);
    expect(tg.messages(GROUP)).toEqual([]);
  });

  it('after a 403 holds every post for the destination and, on resume, brings them back, even ones the outbox gave up on', async () => {
    const source = await store.addSource({ url: 'https://feed.example/rss', title: 'Feed' }, 0);
    await store.upsertChannel(
      { id: 'tg-main', sink: 'telegram', target: String(GROUP), title: 'Science group', rules: {} },
      0,
    );
    const state0 = {
      etag: null,
      lastModified: null,
      nextFetchAt: 0,
      lastFetchAt: 0,
      lastSuccessAt: 0,
      failures: 0,
      lastError: null,
    };
    const item = (key: string) => ({
      key,
      title: key,
      link: null,
      publishedAt: null,
      data: {},
      deliveries: [{ channelId: 'tg-main', status: 'pending' as const, message: { ...message, title: key } }],
    });
    await store.commitFetch(source.id, state0, [item('a'), item('b')], 0);
    const [a, b] = await store.pendingDeliveries(Date.now(), 10);
    tg.setBotStatus(GROUP, 'kicked', tg.user(1));
    for (const row of [a!, b!]) {
      await store.claimDelivery(row.id, 0);
      const error = await send(row.id, { ...message, title: (row.message as Message).title }).catch((e: unknown) => e);
      expect(error).toMatchObject({ retryable: true, retryAfterMs: 12 * 3_600_000 });
    }
    expect(tg.messages(MOD).map((m) => m.text)).toEqual([
      expect.stringMatching(/^SciPop paused the destination "Science group"/),
    ]);
    await store.markFailed(a!.id, 'destination paused', Date.now() + 12 * 3_600_000); // waiting its turn
    await store.markFailed(b!.id, 'destination paused', null); // the outbox ran out of attempts
    tg.setBotStatus(GROUP, 'member', tg.user(1));
    expect(await sink.resumeChat(String(GROUP))).toBe(2);
    expect((await store.pendingDeliveries(Date.now(), 10)).map((d) => d.id).sort()).toEqual([a!.id, b!.id].sort());
  });

  it('refuses a target that is not a chat id, for good', async () => {
    const error = await sink
      .send({ ...target, target: 'not a chat' }, message, { deliveryId: 'd7', inDoubt: false })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false });
  });
});
