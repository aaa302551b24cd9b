import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordConfigSchema } from '../../bots/discord/config';
import { restOptions } from '../../bots/discord/platform';
import { createDiscordSink, type DiscordSink } from '../../bots/discord/sink';
import { createDiscordState } from '../../bots/discord/state';
import { SinkError } from '../../bots/engine/sinks/types';
import type { EngineLogger } from '../../bots/engine/types';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { Store } from '../../bots/store/types';
import type { Message } from '../../shared/message/message';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/fake-discord';

const quiet: EngineLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const message: Message = {
  title: 'Exoplanet found',
  link: 'https://news.example/x',
  source: { title: 'Desk', url: 'https://news.example/' },
  summary: 'A planet.',
  terms: [],
  hashtags: ['#astronomy'],
};

let fake: FakeDiscord | null = null;
let store: Store | null = null;
afterEach(async () => {
  await store?.close();
  await fake?.close();
  fake = store = null;
});

async function setup(config: Record<string, unknown> = {}): Promise<{ sink: DiscordSink; fake: FakeDiscord }> {
  fake = await startFakeDiscord({ rateLimits: { limit: 50, windowMs: 1000 } });
  const parsed = DiscordConfigSchema.parse(config);
  const rest = new REST(restOptions(parsed, fake.apiBase)).setToken(fake.token);
  store = createSqliteStore(':memory:');
  const state = createDiscordState(store);
  return { sink: createDiscordSink({ rest, state, store, config: parsed, log: quiet }), fake };
}

describe('Discord sink against the fake', () => {
  it('does not duplicate a post when the same outbox row is sent again (nonce with enforce_nonce)', async () => {
    const { sink, fake } = await setup();
    const channel = fake.addChannel(fake.addGuild('Lab'), { name: 'news' });
    const target = { channelId: 'news', target: channel.id, title: 'News' };
    const first = await sink.send(target, message, { deliveryId: '0mx22c266000916543c93c7ac', inDoubt: false });
    const again = await sink.send(target, message, { deliveryId: '0mx22c266000916543c93c7ac', inDoubt: false });
    expect(again.remoteId).toBe(first.remoteId);
    expect(fake.messages(channel.id)).toHaveLength(1);
    await sink.send(target, message, { deliveryId: '0mx22c266000916543c93c7ad', inDoubt: false });
    expect(fake.messages(channel.id)).toHaveLength(2);
  });

  it('hands a rate limit longer than maxRetryAfterSeconds back to the outbox with its wait', async () => {
    const { sink, fake } = await setup({ maxRetryAfterSeconds: 1 });
    const channel = fake.addChannel(fake.addGuild('Lab'), { name: 'news' });
    fake.limiter.force(1, 30_000);
    const error = await sink
      .send({ channelId: 'news', target: channel.id, title: 'News' }, message, {
        deliveryId: '0mx22c266000916543c93c7ae',
        inDoubt: false,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect((error as SinkError).retryable).toBe(true);
    expect((error as SinkError).retryAfterMs).toBeGreaterThanOrEqual(29_000);
    expect(fake.messages(channel.id)).toHaveLength(0);
  });

  it('finds an in-doubt forum post and a webhook post already made instead of posting them again', async () => {
    const { sink, fake } = await setup({ destinations: { hooked: { webhook: true } } });
    const guild = fake.addGuild('Lab');
    const forum = fake.addChannel(guild, { name: 'papers', type: 15, tags: ['Astronomy'] });
    const news = fake.addChannel(guild, { name: 'news' });
    const forumTarget = { channelId: 'forum', target: forum.id, title: 'Papers' };
    const first = await sink.send(forumTarget, message, { deliveryId: '0mx22c266000916543c93c7b1', inDoubt: false });
    const again = await sink.send(forumTarget, message, { deliveryId: '0mx22c266000916543c93c7b1', inDoubt: true });
    const thread = first.remoteId!.split(':')[0]!;
    expect(first.remoteId).toBe(`${thread}:${thread}`); // the first message of a forum post has the thread's id
    expect(again.remoteId).toBe(first.remoteId);
    expect([...fake.state.channels.values()].filter((c) => c.parent_id === forum.id)).toHaveLength(1);
    const hookTarget = { channelId: 'hooked', target: news.id, title: 'News' };
    const sent = await sink.send(hookTarget, message, { deliveryId: '0mx22c266000916543c93c7b2', inDoubt: false });
    const resent = await sink.send(hookTarget, message, { deliveryId: '0mx22c266000916543c93c7b2', inDoubt: true });
    expect(resent.remoteId).toBe(sent.remoteId);
    expect(fake.messages(news.id)).toHaveLength(1);
  });

  it('lets a new owner (another REST manager) take at most one 429 on a channel the old owner just filled, and lose nothing', async () => {
    // Discord's per-channel bucket (5 per 5 s), scaled to 5 per 3 s.
    fake = await startFakeDiscord({ rateLimits: { limit: 5, windowMs: 3000 } });
    store = createSqliteStore(':memory:');
    const config = DiscordConfigSchema.parse({ maxRetryAfterSeconds: 10 });
    const owner = () =>
      createDiscordSink({
        rest: new REST(restOptions(config, fake!.apiBase)).setToken(fake!.token),
        state: createDiscordState(store!),
        store: store!,
        config,
        log: quiet,
      });
    const [oldOwner, newOwner] = [owner(), owner()];
    const news = fake.addChannel(fake.addGuild('Lab'), { name: 'news' });
    const target = { channelId: 'news', target: news.id, title: 'News' };
    const id = (n: number) => `0mx22c266000916543c93c8${n}`;
    for (let n = 0; n < 5; n++)
      await oldOwner.send(target, { ...message, title: `Old ${n}` }, { deliveryId: id(n), inDoubt: false });
    const started = Date.now();
    for (let n = 5; n < 8; n++)
      await newOwner.send(target, { ...message, title: `New ${n}` }, { deliveryId: id(n), inDoubt: false });
    expect(fake.limiter.refused()).toBe(1); // one 429, whose headers teach the new owner's REST manager the bucket
    expect(Date.now() - started).toBeGreaterThan(1500); // it waited the bucket out instead of failing
    expect(fake.messages(news.id).map((m) => m.embeds[0]?.title)).toEqual(
      [0, 1, 2, 3, 4].map((n) => `Old ${n}`).concat(['New 5', 'New 6', 'New 7']),
    );
  });

  it('refuses a target that is not a channel id, for good', async () => {
    const { sink } = await setup();
    const error = await sink
      .send({ channelId: 'x', target: '#news', title: 'x' }, message, { deliveryId: 'd', inDoubt: false })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false });
  });
});
