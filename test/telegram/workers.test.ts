import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EngineLogger } from '../../bots/engine/types';
import { createCoordinator, newWorkerIdentity, type Coordinator } from '../../bots/engine/workers';
import { createPostgresStore } from '../../bots/store/postgres-store';
import type { Store } from '../../bots/store/types';
import { createTelegramPlatform, TelegramConfigSchema, type TelegramPlatform } from '../../bots/telegram/platform';
import type { Message } from '../../shared/message/message';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/server';
import { createTestSchema, type TestSchema } from '../store/postgres';

vi.setConfig({ testTimeout: 30_000 });

/** Two workers on one PostgreSQL schema, each with its store, coordinator and Telegram platform, and one fake Telegram. */
const GROUP = -1001234567890;
const KICKED = -1009999;
const MOD = 11;
// The group window is wide enough to see a hand-off wait for it; the fake enforces the same limits.
const LIMITS = {
  global: { count: 30, windowMs: 10 },
  group: { count: 3, windowMs: 2000 },
  chat: { count: 1, windowMs: 10 },
};
const quiet: EngineLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const message = (title: string, summary = 'The feed’s own summary.'): Message => ({
  title,
  link: `https://news.example/${encodeURIComponent(title)}`,
  source: { title: 'Desk' },
  summary,
  terms: [],
  hashtags: [],
});

interface Worker {
  store: Store;
  coordinator: Coordinator;
  platform: TelegramPlatform;
}

let tg: FakeTelegram;
let schema: TestSchema;
let dir: string;
let a: Worker;
let b: Worker;

async function worker(id: string): Promise<Worker> {
  const store = await createPostgresStore(schema.url);
  const coordinator = createCoordinator({
    store,
    clock: { now: () => new Date() },
    log: quiet,
    worker: newWorkerIdentity('test', Date.now(), id),
    leaseMs: 3000,
  });
  coordinator.setChannels(['tg-main', 'tg-kicked']);
  const platform = createTelegramPlatform({
    token: tg.token,
    apiRoot: tg.apiRoot,
    config: TelegramConfigSchema.parse({
      moderators: [MOD],
      limits: LIMITS,
      stateFile: join(dir, `${id}.telegram.db`),
    }),
    db: schema.url,
    store,
    fetcher: { fetch: () => Promise.reject(new Error('no feeds in this test')) },
    parse: () => {
      throw new Error('no feeds in this test');
    },
    log: quiet,
    coordinator,
  });
  return { store, coordinator, platform };
}

/** An outbox row for `channel`, as a fetch would write it. */
async function delivery(
  store: Store,
  channel: string,
  m: Message,
  status: 'pending' | 'held' = 'pending',
): Promise<string> {
  const source =
    (await store.getSource('https://news.example/feed')) ??
    (await store.addSource({ url: 'https://news.example/feed', title: 'Desk' }, Date.now()));
  const state = {
    etag: null,
    lastModified: null,
    nextFetchAt: Date.now() + 3_600_000,
    lastFetchAt: Date.now(),
    lastSuccessAt: Date.now(),
    failures: 0,
    lastError: null,
  };
  await store.commitFetch(
    source.id,
    state,
    [
      {
        key: m.title,
        title: m.title,
        link: m.link ?? null,
        publishedAt: null,
        data: {},
        deliveries: [{ channelId: channel, status, message: m }],
      },
    ],
    Date.now(),
  );
  const rows = [...(await store.heldDeliveries(channel, 100)), ...(await store.pendingDeliveries(Date.now(), 100))];
  return rows.find((d) => (d.message as Message).title === m.title)!.id;
}

const target = { channelId: 'tg-main', target: String(GROUP), title: 'Science group' };

beforeAll(async () => {
  tg = await startFakeTelegram({ limits: LIMITS });
  tg.addChat({ id: GROUP, type: 'supergroup', title: 'Science group' });
  tg.addChat({ id: KICKED, type: 'supergroup', title: 'Gone group', botStatus: 'kicked' });
  tg.addChat({ id: MOD, type: 'private' });
  schema = await createTestSchema();
  dir = mkdtempSync(join(tmpdir(), 'scipop-tg-workers-'));
  a = await worker('w-a');
  b = await worker('w-b');
  for (const w of [a, b]) {
    await w.store.upsertChannel(
      { id: 'tg-main', sink: 'telegram', target: String(GROUP), title: 'Science group', rules: {} },
      Date.now(),
    );
    await w.store.upsertChannel(
      { id: 'tg-kicked', sink: 'telegram', target: String(KICKED), title: 'Gone group', rules: {} },
      Date.now(),
    );
  }
  await a.platform.start();
  await b.platform.start();
});
afterAll(async () => {
  for (const w of [a, b]) {
    await w?.platform.stop();
    await w?.coordinator.stop();
    await w?.store.close();
  }
  await tg?.close();
  await schema?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const replyAfter = (count: number, match: RegExp) =>
  tg.waitFor(() =>
    tg
      .messages(GROUP)
      .slice(count)
      .find((m) => match.test(m.text)),
  );

describe('Telegram on two workers sharing one PostgreSQL store', () => {
  it('long-polls from one worker only; the other posts through REST', async () => {
    expect([a.platform.receiving(), b.platform.receiving()]).toEqual([true, false]);
    const before = tg.messages(GROUP).length;
    tg.say(GROUP, tg.user(5), '/help');
    await replyAfter(before, /SciPop posts curated science news/);
    await new Promise((r) => setTimeout(r, 300));
    expect(tg.messages(GROUP).slice(before)).toHaveLength(1); // answered once
    expect(tg.pollConflicts()).toBe(0);
    await b.platform.sink.send({ ...target, title: 'via B' }, message('Posted by the other worker'), {
      deliveryId: 'rest-1',
      inDoubt: false,
    });
    expect(tg.messages(GROUP).at(-1)!.text).toMatch(/^Posted by the other worker/);
  });

  it('uses a summary a moderator edited through one worker when the other sends the post', async () => {
    const id = await delivery(a.store, 'tg-main', message('Held for an edit'), 'held');
    let before = tg.messages(GROUP).length;
    tg.say(GROUP, tg.user(MOD, 'Mod'), '/queue');
    const shown = await tg.waitFor(() =>
      tg
        .messages(GROUP)
        .slice(before)
        .find((m) => m.reply_markup?.inline_keyboard && m.text.startsWith('Held for an edit')),
    );
    before = tg.messages(GROUP).length;
    tg.press(GROUP, tg.user(MOD, 'Mod'), shown.message_id, shown.reply_markup!.inline_keyboard![0]![2]!.callback_data!);
    const prompt = await replyAfter(before, /^Reply to this message with the new summary/);
    before = tg.messages(GROUP).length;
    tg.say(GROUP, tg.user(MOD, 'Mod'), 'What the moderator wrote.', { replyTo: prompt.message_id });
    await replyAfter(before, /^Summary updated/);
    expect(await b.store.editedSummary(id)).toBe('What the moderator wrote.');
    await b.platform.sink.send(target, message('Held for an edit'), { deliveryId: id, inDoubt: false });
    expect(tg.messages(GROUP).at(-1)!.text).toContain('What the moderator wrote.');
    expect(tg.messages(GROUP).at(-1)!.text).not.toContain('The feed’s own summary.');
  });

  it('pauses a destination for both workers, and a resume on one brings its rows back for the other', async () => {
    const kicked = { channelId: 'tg-kicked', target: String(KICKED), title: 'Gone group' };
    await expect(
      a.platform.sink.send(kicked, message('To a group that kicked the bot'), { deliveryId: 'k-1', inDoubt: false }),
    ).rejects.toThrow(/destination paused/);
    const calls = tg.calls.length;
    await expect(
      b.platform.sink.send(kicked, message('Also to it'), { deliveryId: 'k-2', inDoubt: false }),
    ).rejects.toThrow(/destination paused: Forbidden/);
    expect(tg.calls.slice(calls).filter((c) => c.method === 'sendMessage')).toEqual([]); // B knew without asking Telegram
    expect(tg.messages(MOD).filter((m) => /paused the destination "Gone group"/.test(m.text))).toHaveLength(1);
    await b.platform.sink.resumeChat(String(KICKED));
    expect(await a.store.pausedDestination('telegram', String(KICKED))).toBeUndefined();
    expect(await a.store.takeHeldForResume('telegram', String(KICKED))).toEqual([]); // B took both rows back
  });

  it('seeds a new owner’s limiter from the destination’s recent posts, so the group window holds across a hand-off', async () => {
    await new Promise((r) => setTimeout(r, LIMITS.group.windowMs)); // a clean window
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) ids.push(await delivery(a.store, 'tg-main', message(`Burst ${i}`)));
    for (const id of ids.slice(0, 3)) {
      await a.platform.sink.send(target, message(`Burst ${ids.indexOf(id) + 1}`), { deliveryId: id, inDoubt: false });
      await a.store.markSent(id, Date.now(), null);
    }
    const firstAt = tg.messages(GROUP).find((m) => m.text.startsWith('Burst 1'))!.at;
    const rejected = tg.tooManyRequests();
    await b.platform.sink.send(target, message('Burst 4'), { deliveryId: ids[3]!, inDoubt: false });
    const fourth = tg.messages(GROUP).find((m) => m.text.startsWith('Burst 4'))!;
    expect(fourth.at - firstAt).toBeGreaterThanOrEqual(LIMITS.group.windowMs - 50); // waited for the window, as A would have
    expect(tg.tooManyRequests()).toBe(rejected); // and was never refused
  });

  it('hands the updates to the other worker when the first stops, with no update lost or answered twice', async () => {
    await a.coordinator.stop(); // gives the role back (onLose) and retires the worker
    expect(a.platform.receiving()).toBe(false);
    const before = tg.messages(GROUP).length;
    tg.say(GROUP, tg.user(5), '/explain exoplanet');
    await b.coordinator.round();
    expect(b.platform.receiving()).toBe(true);
    await replyAfter(before, /planet/i);
    await new Promise((r) => setTimeout(r, 300));
    expect(tg.messages(GROUP).slice(before)).toHaveLength(1);
    expect(tg.pollConflicts()).toBe(0);
  });
});
