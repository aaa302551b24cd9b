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
      () => (w.discord.state.commands.get(w.guild)?.length ?? 0) >= 3, // explain, scipop and the standalone term
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

  it('keeps the network up while Discord answers 500s at start (gateway and command registration), then connects', async () => {
    world = await startDiscordWorld();
    const w = world;
    // More 500s than discord.js retries on its own, so the platform's start loop sees them too.
    w.discord.failNext('GET /gateway/bot', 500, 5);
    w.discord.failNext('PUT /applications/:app/guilds/:guild/commands', 500, 5);
    const config = writeDiscordConfig(w, [{ id: 'news', target: w.news.id }]);
    const child = startScipop(
      ['run', '--config', config],
      { ...discordEnv(w), SCIPOP_LOG_LEVEL: 'info', SCIPOP_HTTP_PORT: '0' },
      w.dir,
    );
    const port = await w.discord.waitFor(
      () => /"port":(\d+),"msg":"serving \/healthz/.exec(child.stderr())?.[1],
      60_000,
      'the ops server',
    );
    const early = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
      ok: boolean;
      platforms: Record<string, string>;
    };
    expect(early.ok).toBe(true); // the engine runs meanwhile
    expect(early.platforms.discord).not.toBe('up');
    await w.discord.waitFor(
      () => (w.discord.state.commands.get(w.guild)?.length ?? 0) >= 3, // explain, scipop and the standalone term
      90_000,
      'the commands to be registered',
    );
    await w.discord.waitFor(
      () => child.stderr().includes('Discord bot connected to the gateway'),
      30_000,
      'the connected log line',
    );
    const failed = (path: string) => w.discord.requests.filter((r) => r.path.endsWith(path) && r.status === 500).length;
    expect(failed('/gateway/bot')).toBe(5);
    expect(failed(`/guilds/${w.guild}/commands`)).toBe(5);
    expect(child.stderr()).toContain('could not connect to the Discord gateway; trying again in 1 s');
    expect(child.stderr()).toContain('could not register slash commands in this server; trying again in 1 s');
    const mod = w.discord.member(w.discord.addUser('marie'), MODERATOR_PERMISSIONS);
    const status = await w.discord.slash(mod, { channelId: w.news.id, name: 'scipop', subcommand: 'status' });
    expect(String(status.callbacks[0]!.data!.content)).toMatch(/^Sources used here: 0 active/);
    child.proc.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
  });
});
