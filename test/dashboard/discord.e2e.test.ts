import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseEnv } from '../../bots/config/env';
import { runBots, type RunningBots } from '../../bots/main';
import { MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS, type FakeMember } from '../fakes/discord/fake-discord';
import type { FakeInteraction } from '../fakes/discord/state';
import { discordEnv, startDiscordWorld, writeDiscordConfig, type DiscordWorld } from '../discord/harness';
import { browser, freePort } from './harness';

/**
 * `/scipop dashboard` on Discord is the same neutral command as Telegram's `/dashboard`: the
 * production discord.js client against the fake Discord, answered privately (ephemeral) with a
 * link that signs a server's moderator in to that server's channels only. Here the dashboard has
 * a port of its own (`dashboard.port`).
 */
let world: DiscordWorld;
let bots: RunningBots;
let mod: FakeMember;
let member: FakeMember;
let base: string;

const EPHEMERAL = 64;
const text = (i: FakeInteraction) => String(i.original?.content ?? i.callbacks[0]?.data?.content ?? '');

beforeAll(async () => {
  world = await startDiscordWorld();
  const other = world.discord.addGuild('Other Club');
  const elsewhere = world.discord.addChannel(other, { name: 'elsewhere' });
  const config = writeDiscordConfig(world, [
    { id: 'news', target: world.news.id, title: 'News' },
    { id: 'elsewhere', target: elsewhere.id, title: 'Elsewhere' },
  ]);
  // The dashboard on a port of its own (dashboard.port), configured in the file, without SCIPOP_HTTP_PORT.
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const withDashboard = parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
  writeFileSync(config, stringify({ ...withDashboard, dashboard: { baseUrl: base, port } }));
  bots = await runBots({ config, env: parseEnv(discordEnv(world)) });
  mod = world.discord.member(world.discord.addUser('marie'), MODERATOR_PERMISSIONS);
  member = world.discord.member(world.discord.addUser('reader'), MEMBER_PERMISSIONS);
});
afterAll(async () => {
  await bots?.stop();
  await world?.discord.close();
  rmSync(world.dir, { recursive: true, force: true });
});

describe('the dashboard from Discord', () => {
  it('gives a server’s moderator a private link to that server’s channels, and refuses a member', async () => {
    const refused = await world.discord.slash(member, {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'dashboard',
    });
    expect(text(refused)).toMatch(/Manage Server/);
    const asked = await world.discord.slash(mod, { channelId: world.news.id, name: 'scipop', subcommand: 'dashboard' });
    const reply = await world.discord.waitFor(() => /sign-in\?t=/.test(text(asked)) && text(asked), 10_000, 'the link');
    expect(asked.callbacks[0]).toMatchObject({ data: { flags: EPHEMERAL } });
    expect(reply).toContain('for News.');
    // Nothing was posted where others read it.
    expect(world.discord.messages(world.news.id).some((m) => m.content.includes('sign-in'))).toBe(false);
    const link = /<(http[^>]+)>/.exec(reply)![1]!;
    const { get, signIn } = browser(base);
    const cookie = await signIn(link);
    const overview = await (await get('/dashboard/overview', cookie)).text();
    expect(overview).toContain('<th scope="row">News</th>');
    expect(overview).not.toContain('Elsewhere');
    expect(overview).toMatch(/Signed in as marie \(\d+\) \(discord\)/);
    expect((await get('/dashboard/queue?channel=elsewhere', cookie)).status).toBe(404);
    // Its own server serves the dashboard and nothing else.
    expect(bots.dashboardServer?.port).toBe(Number(new URL(base).port));
    expect(bots.ops).toBeNull();
    expect((await get('/healthz')).status).toBe(404);
  });
});
