import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningBots } from '../../bots/main';
import { MODERATOR_PERMISSIONS } from '../fakes/discord/fake-discord';
import { runInProcess, startDiscordWorld, writeDiscordConfig, type DiscordWorld } from './harness';

let world: DiscordWorld | null = null;
let bots: RunningBots | null = null;
afterEach(async () => {
  await bots?.stop();
  await world?.discord.close();
  if (world) rmSync(world.dir, { recursive: true, force: true });
  world = bots = null;
});

describe('Discord moderation limited to the configured servers', () => {
  it('takes moderation only from discord.guilds; elsewhere only /explain answers', async () => {
    world = await startDiscordWorld();
    const config = writeDiscordConfig(world, [{ id: 'news', target: world.news.id }], {
      discord: { guilds: [world.guild], globalCommands: true },
    });
    bots = await runInProcess(world, config, false);
    const w = world;
    expect(
      w.discord.state.commands
        .get(w.guild)
        ?.map((c) => c.name)
        .sort(),
    ).toEqual(['explain', 'scipop', 'term']);
    const other = w.discord.addGuild('Elsewhere');
    const otherChannel = w.discord.addChannel(other, { name: 'general' });
    const admin = w.discord.member(w.discord.addUser('admin-elsewhere'), MODERATOR_PERMISSIONS);
    // The global commands reach the other server, but its Manage Server holders moderate nothing.
    const refused = await w.discord.slash(admin, {
      channelId: otherChannel.id,
      name: 'scipop',
      subcommand: 'pause',
      options: { source: 'x' },
    });
    expect(refused.callbacks[0]!.data!.content).toBe(
      'SciPop is moderated from another server; only /explain works here.',
    );
    const explained = await w.discord.slash(admin, {
      channelId: otherChannel.id,
      name: 'explain',
      options: { term: 'exoplanet' },
    });
    expect(String(explained.callbacks[0]!.data!.content).toLowerCase()).toContain('planet');
    // /term reaches every server (the glossary's editors may be anywhere), but a Manage Server holder here is nobody to it.
    const term = await w.discord.slash(admin, {
      channelId: otherChannel.id,
      name: 'term',
      options: { input: 'review' },
    });
    expect(String(term.callbacks[0]!.data!.content)).toMatch(
      /^Sorry: only the glossary's editors and the moderators of a channel this network serves can use \/term/,
    );
    expect(w.discord.state.commands.get(other)).toBeUndefined();
    const home = await w.discord.slash(w.discord.member(w.discord.addUser('marie'), MODERATOR_PERMISSIONS), {
      channelId: w.news.id,
      name: 'scipop',
      subcommand: 'status',
    });
    expect(String(home.callbacks[0]!.data!.content)).toMatch(/^Sources used here: 0 active/);
  });
});
