import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DiscordConfigSchema } from '../../bots/discord/config';
import { createDiscordPlatform, type DiscordPlatform } from '../../bots/discord/platform';
import type { EngineLogger } from '../../bots/engine/types';
import { createCoordinator, newWorkerIdentity, type Coordinator } from '../../bots/engine/workers';
import { createPostgresStore } from '../../bots/store/postgres-store';
import type { Store } from '../../bots/store/types';
import type { Message } from '../../shared/message/message';
import { MODERATOR_PERMISSIONS, startFakeDiscord, type FakeDiscord } from '../fakes/discord/fake-discord';
import type { FakeChannel } from '../fakes/discord/state';
import { createTestSchema, type TestSchema } from '../store/postgres';

vi.setConfig({ testTimeout: 30_000 });

/** Two workers on one PostgreSQL schema, each with its store, coordinator and Discord platform, and one fake Discord. */
const quiet: EngineLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const message = (title: string): Message => ({
  title,
  link: `https://news.example/${encodeURIComponent(title)}`,
  source: { title: 'Desk' },
  summary: 'A planet.',
  terms: [],
  hashtags: [],
});

interface Worker {
  store: Store;
  coordinator: Coordinator;
  platform: DiscordPlatform;
}

let discord: FakeDiscord;
let news: FakeChannel;
let mods: FakeChannel;
let locked: FakeChannel;
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
  coordinator.setChannels(['dc-news', 'dc-news-2', 'dc-locked']);
  const config = DiscordConfigSchema.parse({
    moderatorChannel: mods.id,
    queueSyncSeconds: 0.1,
    destinations: { 'dc-news': { webhook: true }, 'dc-news-2': { webhook: true } },
    stateFile: join(dir, `${id}.discord.db`),
  });
  const platform = createDiscordPlatform({
    token: discord.token,
    apiBase: discord.apiBase,
    config,
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  discord = await startFakeDiscord({ rateLimits: { limit: 50, windowMs: 1000 }, heartbeatMs: 500 });
  const guild = discord.addGuild('Science Club');
  news = discord.addChannel(guild, { name: 'news' });
  mods = discord.addChannel(guild, { name: 'mods' });
  locked = discord.addChannel(guild, { name: 'locked', botDenied: ['sendMessages'] });
  schema = await createTestSchema();
  dir = mkdtempSync(join(tmpdir(), 'scipop-discord-workers-'));
  a = await worker('w-a');
  b = await worker('w-b');
  await a.store.upsertChannel(
    { id: 'dc-news', sink: 'discord', target: news.id, title: 'News', rules: {} },
    Date.now(),
  );
  await a.store.upsertChannel(
    { id: 'dc-news-2', sink: 'discord', target: news.id, title: 'News again', rules: {} },
    Date.now(),
  );
  await a.store.upsertChannel(
    { id: 'dc-locked', sink: 'discord', target: locked.id, title: 'Locked', rules: {} },
    Date.now(),
  );
  await a.platform.start();
  await b.platform.start();
});
afterAll(async () => {
  for (const w of [a, b]) {
    await w?.platform.stop();
    await w?.coordinator.stop();
    await w?.store.close();
  }
  await discord?.close();
  await schema?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Discord on two workers sharing one PostgreSQL store', () => {
  it('keeps one gateway session, so each interaction is answered once', async () => {
    expect(discord.gateway.sessions()).toBe(1);
    expect([a.platform.client() !== null, b.platform.client() !== null]).toEqual([true, false]);
    const asked = await discord.slash(discord.member(discord.addUser('reader')), {
      channelId: news.id,
      name: 'explain',
      options: { term: 'exoplanet' },
    });
    await sleep(300);
    expect(asked.callbacks).toHaveLength(1);
  });

  it('shows a held post in the moderators’ channel once, from the gateway worker only', async () => {
    const source = await a.store.addSource({ url: 'https://news.example/feed', title: 'Desk' }, Date.now());
    const state = {
      etag: null,
      lastModified: null,
      nextFetchAt: Date.now() + 3_600_000,
      lastFetchAt: Date.now(),
      lastSuccessAt: Date.now(),
      failures: 0,
      lastError: null,
    };
    await a.store.commitFetch(
      source.id,
      state,
      [
        {
          key: 'held-1',
          title: 'Held one',
          link: null,
          publishedAt: null,
          data: {},
          deliveries: [{ channelId: 'dc-news', status: 'held', message: message('Held one') }],
        },
      ],
      Date.now(),
    );
    await discord.waitFor(
      () => discord.messages(mods.id).some((m) => m.content.startsWith('Waiting for approval')),
      5000,
      'the queue post',
    );
    // Once the gateway worker has recorded it (a moment after Discord has the message), even a sync
    // run by the other worker does not repeat it.
    const [row] = await a.store.heldDeliveries('dc-news', 10);
    const recorded = Date.now() + 5000;
    while (!(await a.store.queuePost('discord', row!.id)) && Date.now() < recorded) await sleep(50);
    await b.platform.syncQueue();
    await sleep(500);
    expect(discord.messages(mods.id).filter((m) => m.content.startsWith('Waiting for approval'))).toHaveLength(1);
  });

  it('makes one webhook for a channel two destinations share, even when both workers post at once', async () => {
    const [one, two] = await Promise.all([
      a.platform.sink.send({ channelId: 'dc-news', target: news.id, title: 'News' }, message('Through a webhook'), {
        deliveryId: '0mx22c266000916543c93c7b1',
        inDoubt: false,
      }),
      b.platform.sink.send(
        { channelId: 'dc-news-2', target: news.id, title: 'News again' },
        message('Through a webhook too'),
        { deliveryId: '0mx22c266000916543c93c7b2', inDoubt: false },
      ),
    ]);
    expect(one.remoteId).not.toBe(two.remoteId);
    expect([...discord.state.webhooks.values()].filter((w) => w.channel_id === news.id)).toHaveLength(1);
    expect(
      discord
        .messages(news.id)
        .filter((m) => m.webhook_id !== undefined)
        .map((m) => m.webhook_id),
    ).toEqual([...discord.state.webhooks.keys(), ...discord.state.webhooks.keys()]);
  });

  it('pauses a destination for both workers', async () => {
    const target = { channelId: 'dc-locked', target: locked.id, title: 'Locked' };
    await expect(
      a.platform.sink.send(target, message('Refused'), { deliveryId: '0mx22c266000916543c93c7b3', inDoubt: false }),
    ).rejects.toThrow(/destination paused/);
    const requests = discord.requests.length;
    await expect(
      b.platform.sink.send(target, message('Refused too'), { deliveryId: '0mx22c266000916543c93c7b4', inDoubt: false }),
    ).rejects.toThrow(/destination paused: Missing Permissions/);
    expect(discord.requests.length).toBe(requests); // B knew without asking Discord
  });

  it('hands the gateway to the other worker when the first stops', async () => {
    await a.coordinator.stop();
    expect(a.platform.client()).toBeNull();
    await b.coordinator.round();
    expect(b.platform.client()).not.toBeNull();
    await discord.waitFor(() => discord.gateway.sessions() === 1, 5000, 'one session');
    const asked = await discord.slash(discord.member(discord.addUser('mod'), MODERATOR_PERMISSIONS), {
      channelId: news.id,
      name: 'scipop',
      subcommand: 'status',
    });
    await sleep(300);
    expect(asked.callbacks).toHaveLength(1);
    expect(discord.gateway.sessions()).toBe(1);
  });
});
