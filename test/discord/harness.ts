import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseEnv } from '../../bots/config/env';
import { runBots, type RunningBots } from '../../bots/main';
import { toOpml } from '../../bots/sources/opml';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/fake-discord';
import type { FakeChannel } from '../fakes/discord/state';
import type { TestFeedItem } from '../support/feed-server';

/**
 * Discord's per-channel bucket (5 per 5 s) scaled down 100× so a 500-post burst runs in seconds
 * with the same shape; the global cap stays at Discord's 50 per second.
 */
export const FAST_RATE_LIMITS = { limit: 5, windowMs: 50, globalPerSecond: 50 };

/** The test server: a text channel, an announcement channel, a forum with tags, a thread, the moderators' channel. */
export interface DiscordWorld {
  discord: FakeDiscord;
  guild: string;
  news: FakeChannel;
  announce: FakeChannel;
  forum: FakeChannel;
  thread: FakeChannel;
  mods: FakeChannel;
  dir: string;
  db: string;
}

/** Starts the fake Discord with a guild and its channels, and a temp dir for the store. */
export async function startDiscordWorld(options: { nonceWindowMs?: number } = {}): Promise<DiscordWorld> {
  const discord = await startFakeDiscord({
    rateLimits: FAST_RATE_LIMITS,
    heartbeatMs: 500,
    ...(options.nonceWindowMs !== undefined ? { nonceWindowMs: options.nonceWindowMs } : {}),
  });
  const guild = discord.addGuild('Science Club');
  const news = discord.addChannel(guild, { name: 'news' });
  const announce = discord.addChannel(guild, { name: 'announcements', type: 5 });
  const forum = discord.addChannel(guild, { name: 'papers', type: 15, tags: ['Astronomy', 'Biology', 'Physics'] });
  const thread = discord.addChannel(guild, { name: 'space-thread', type: 11, parentId: news.id });
  const mods = discord.addChannel(guild, { name: 'mods' });
  const dir = mkdtempSync(join(tmpdir(), 'scipop-discord-'));
  return { discord, guild, news, announce, forum, thread, mods, dir, db: join(dir, 'scipop.db') };
}

/** Items `from..to` of a test feed (newest first, as feeds list them). */
export function items(
  prefix: string,
  from: number,
  to: number,
  title = (i: number) => `${prefix} item ${i}: telescope sees an exoplanet`,
): TestFeedItem[] {
  return Array.from({ length: to - from + 1 }, (_, k) => {
    const i = to - k;
    return {
      title: title(i),
      link: `https://news.example/${prefix}/${i}`,
      guid: `${prefix}-${i}`,
      date: new Date(Date.UTC(2026, 10, 29, 0, 0, i)),
      description: `<p>Telescope data on an exoplanet (${i}).</p>`,
    };
  });
}

/** One destination of the config. */
export interface Destination {
  id: string;
  target: string;
  title?: string;
  approval?: 'untrusted' | 'all' | 'none';
}

/** Writes a run config with Discord destinations, and a seed OPML of the given feeds. */
export function writeDiscordConfig(
  world: DiscordWorld,
  destinations: Destination[],
  extra: { feeds?: string[]; trusted?: boolean; discord?: Record<string, unknown>; firstFetchPosts?: number } = {},
): string {
  const opml = join(world.dir, 'sources.opml');
  writeFileSync(
    opml,
    toOpml(
      (extra.feeds ?? []).map((url, i) => ({
        url,
        title: `Feed ${i + 1}`,
        tags: ['astronomy'],
        trusted: extra.trusted ?? true,
      })),
    ),
  );
  const file = join(world.dir, 'config.yaml');
  writeFileSync(
    file,
    stringify({
      sources: { seedOpml: extra.feeds ? opml : null, firstFetchPosts: extra.firstFetchPosts ?? 1000, jitter: 0 },
      delivery: { inDoubt: 'resend' },
      discord: { moderatorChannel: world.mods.id, queueSyncSeconds: 0.2, ...extra.discord },
      channels: destinations.map((d) => ({
        id: d.id,
        sink: 'discord',
        target: d.target,
        title: d.title ?? d.id,
        rules: { approval: d.approval ?? 'none' },
      })),
    }),
  );
  return file;
}

/** The environment `npm start` would see, pointed at the fake. */
export function discordEnv(world: DiscordWorld): Record<string, string> {
  return {
    DISCORD_BOT_TOKEN: world.discord.token,
    DISCORD_API_BASE: world.discord.apiBase,
    SCIPOP_DB: world.db,
    SCIPOP_ALLOW_PRIVATE_NETWORKS: '1',
    SCIPOP_LOG_LEVEL: process.env.DISCORD_TEST_LOG ?? 'silent',
  };
}

/** Runs the real composition root in this process, as `scipop run` does. */
export function runInProcess(world: DiscordWorld, config: string, once = false): Promise<RunningBots> {
  return runBots({ config, once, env: parseEnv(discordEnv(world)) });
}
