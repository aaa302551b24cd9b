import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startScipop } from '../engine/child';
import { MODERATOR_PERMISSIONS } from '../fakes/discord/fake-discord';
import { discordEnv, startDiscordWorld, writeDiscordConfig, type DiscordWorld } from './harness';

// Child processes start slowly on a loaded 2-core machine (tsx compiles on start).
vi.setConfig({ testTimeout: 120_000 });

let world: DiscordWorld | null = null;
afterEach(async () => {
  await world?.discord.close();
  if (world) rmSync(world.dir, { recursive: true, force: true });
  world = null;
});

describe('scipop run with DISCORD_BOT_TOKEN (a child process, as npm start runs it)', () => {
  it('connects to the gateway, registers the commands, answers a command, and stops cleanly on SIGTERM', async () => {
    world = await startDiscordWorld();
    const config = writeDiscordConfig(world, [{ id: 'news', target: world.news.id }]);
    const child = startScipop(
      ['run', '--config', config],
      { ...discordEnv(world), SCIPOP_LOG_LEVEL: 'info' },
      world.dir,
    );
    const w = world;
    await w.discord.waitFor(
      () => w.discord.state.commands.get(w.guild)?.length === 2,
      60_000,
      'the commands to be registered',
    );
    await w.discord.waitFor(
      () => (child.stdout() + child.stderr()).includes('Discord bot connected to the gateway'),
      10_000,
      'the connected log line',
    );
    const mod = w.discord.member(w.discord.addUser('marie'), MODERATOR_PERMISSIONS);
    const status = await w.discord.slash(mod, { channelId: w.news.id, name: 'scipop', subcommand: 'status' });
    expect(String(status.callbacks[0]!.data!.content)).toMatch(/^Sources used here: 0 active/);
    expect(child.stdout() + child.stderr()).not.toContain(w.discord.token); // the token is never logged
    child.proc.kill('SIGTERM');
    const exit = await child.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(w.discord.gateway.sessions()).toBe(0);
  });
});
