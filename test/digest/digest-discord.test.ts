import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordConfigSchema } from '../../bots/discord/config';
import { restOptions } from '../../bots/discord/platform';
import { createDiscordSink } from '../../bots/discord/sink';
import { createDiscordState } from '../../bots/discord/state';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import { createEngineHarness } from '../engine/harness';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/fake-discord';
import { rssFeed, startFeedServer, type FeedServer, type TestFeedItem } from '../support/feed-server';

// A digest through the real engine and the real Discord sink into the fake Discord, which refuses
// an embed over any of Discord's limits as the real API does.
let server: FeedServer;
let fake: FakeDiscord;
beforeAll(async () => {
  server = await startFeedServer();
  fake = await startFakeDiscord({ rateLimits: { limit: 50, windowMs: 1000 } });
});
afterAll(async () => {
  await fake.close();
  await server.close();
});

const T = (iso: string) => Date.parse(iso);
const story = (n: number): TestFeedItem => ({
  title: `Story ${n} [${n}] *${Array.from({ length: 40 }, (_, k) => `w${n}x${k}`).join(' ')}* @everyone`,
  link: `https://news.example/${n}/(x)`,
  guid: `s-${n}`,
  date: new Date(Date.UTC(2026, 9, 30, 0, n)),
  description: 'Astronomers studied an exoplanet with spectroscopy.',
});

describe('a digest into the fake Discord', () => {
  it('sends a long digest as numbered embeds within every limit, in order, with nothing that pings', async () => {
    let listed: TestFeedItem[] = [];
    server.route('/dc1', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(rssFeed('Space desk', listed));
    });
    const channel = fake.addChannel(fake.addGuild('Lab'), { name: 'digest' });
    const dir = mkdtempSync(join(tmpdir(), 'scipop-digest-dc-'));
    const sinkStore = createSqliteStore(join(dir, 'scipop.db'));
    const config = DiscordConfigSchema.parse({});
    const rest = new REST(restOptions(config, fake.apiBase)).setToken(fake.token);
    const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const sink = createDiscordSink({ rest, state: createDiscordState(sinkStore), store: sinkStore, config, log });
    const h = await createEngineHarness(
      {
        channels: [
          {
            id: 'dc',
            sink: 'discord',
            target: channel.id,
            title: 'Lab digest',
            digest: { every: 'weekly', day: 'saturday', at: '08:00', timezone: 'Asia/Shanghai', size: 50 },
          },
        ],
      },
      { dir, extraSinks: [sink] },
    );
    h.clock.set(T('2026-10-30T10:00:00Z'));
    await h.store.addSource({ url: server.url('/dc1'), title: 'Space desk', tags: ['astronomy'] }, h.clock.ms);
    await h.engine.runOnce();
    listed = Array.from({ length: 50 }, (_, i) => story(i + 1));
    h.clock.set(T('2026-10-30T12:00:00Z'));
    await h.engine.runOnce();
    h.clock.set(T('2026-10-31T00:00:05Z')); // Saturday 08:00 in Shanghai
    await h.engine.runOnce();
    await h.engine.runOnce();
    const parts = fake.messages(channel.id);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const numbers: number[] = [];
    parts.forEach((m, i) => {
      const embed = m.embeds[0] as { title: string; description: string };
      expect(m.mention_everyone).toBe(false);
      expect(embed.title).toBe(`Weekly science digest · week to 31 October 2026 (${i + 1}/${parts.length})`);
      expect(embed.description.length).toBeLessThanOrEqual(4096);
      expect(embed.description).not.toMatch(/@everyone/);
      numbers.push(...[...embed.description.matchAll(/^\*\*(\d+)\.\*\*/gm)].map((x) => Number(x[1])));
    });
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const first = parts[0]!.embeds[0] as { description: string };
    expect(first.description).toContain('](https://news.example/50/%28x%29)');
    await h.close().catch(() => undefined);
    await sinkStore.close();
  });
});
