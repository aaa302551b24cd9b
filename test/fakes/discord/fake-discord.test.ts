import { Client, Events, GatewayIntentBits, REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { MODERATOR_PERMISSIONS, startFakeDiscord, type FakeDiscord } from './fake-discord';
import { validateModal } from './validate';

let fake: FakeDiscord | null = null;
let client: Client | null = null;
afterEach(async () => {
  await client?.destroy();
  client = null;
  await fake?.close();
  fake = null;
});

const rest = (f: FakeDiscord, extra: Record<string, unknown> = {}) =>
  new REST({ api: f.apiBase, ...extra }).setToken(f.token);

describe('fake Discord REST', () => {
  it('answers as Discord does: 401 without the token, 10003 Unknown Channel, 50013 Missing Permissions', async () => {
    fake = await startFakeDiscord();
    const guild = fake.addGuild('Lab');
    const locked = fake.addChannel(guild, { name: 'locked', botDenied: ['sendMessages'] });
    const res = await fetch(`${fake.apiBase}/v10/channels/${locked.id}`);
    expect(res.status).toBe(401);
    await expect(rest(fake).post(Routes.channelMessages('1234'), { body: { content: 'x' } })).rejects.toMatchObject({
      code: 10003,
      status: 404,
    });
    await expect(rest(fake).post(Routes.channelMessages(locked.id), { body: { content: 'x' } })).rejects.toMatchObject({
      code: 50013,
      status: 403,
    });
  });

  it('returns the first message for a repeated nonce with enforce_nonce, and refuses embeds over the limits', async () => {
    fake = await startFakeDiscord();
    const channel = fake.addChannel(fake.addGuild('Lab'), { name: 'news' });
    const body = { content: 'hello', nonce: 'abc', enforce_nonce: true };
    const first = (await rest(fake).post(Routes.channelMessages(channel.id), { body })) as { id: string };
    const second = (await rest(fake).post(Routes.channelMessages(channel.id), { body })) as { id: string };
    expect(second.id).toBe(first.id);
    expect(fake.messages(channel.id)).toHaveLength(1);
    await expect(
      rest(fake).post(Routes.channelMessages(channel.id), { body: { embeds: [{ title: 'x'.repeat(257) }] } }),
    ).rejects.toMatchObject({ code: 50035 });
  });

  it('checks modals as Discord does: title and labels up to 45 characters, one to five rows of one text input', () => {
    const row = (label: string) => ({ type: 1, components: [{ type: 4, custom_id: 'x', label, style: 1 }] });
    expect(validateModal({ custom_id: 'f', title: 'Add a term', components: [row('Short')] })).toBeNull();
    expect(validateModal({ custom_id: 'f', title: 'x'.repeat(46), components: [row('Short')] })).toMatchObject({
      code: 50035,
      errors: { title: { _errors: [{ message: 'Must be between 1 and 45 in length.' }] } },
    });
    expect(
      validateModal({ custom_id: 'f', title: 'T', components: Array.from({ length: 6 }, () => row('L')) }),
    ).toMatchObject({ code: 50035 });
    expect(validateModal({ custom_id: 'f', title: 'T', components: [row('y'.repeat(46))] })).toMatchObject({
      code: 50035,
    });
  });

  it('sends 429s with retry_after and bucket headers, which the discord.js REST manager waits out', async () => {
    fake = await startFakeDiscord({ rateLimits: { limit: 3, windowMs: 300 } });
    const channel = fake.addChannel(fake.addGuild('Lab'), { name: 'news' });
    const r = rest(fake);
    const limited: number[] = [];
    r.on('rateLimited', (info) => limited.push(info.timeToReset));
    fake.limiter.force(1, 150);
    const started = Date.now();
    for (let i = 0; i < 7; i++) await r.post(Routes.channelMessages(channel.id), { body: { content: `m${i}` } });
    expect(fake.messages(channel.id).map((m) => m.content)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(fake.limiter.refused()).toBeGreaterThanOrEqual(1);
    const answered429 = fake.requests.find((q) => q.status === 429);
    expect(answered429?.body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300); // 7 sends at 3 per 300 ms wait at least one window
  });
});

describe('fake Discord gateway', () => {
  it('lets the discord.js client log in, get its guilds and receive an interaction', async () => {
    fake = await startFakeDiscord({ heartbeatMs: 200 });
    const guild = fake.addGuild('Lab');
    const channel = fake.addChannel(guild, { name: 'news' });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
    const ready = new Promise<void>((resolve) => client!.once(Events.ClientReady, () => resolve()));
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand())
        await interaction.reply({ content: `pong from ${interaction.guild?.name}` });
    });
    await client.login(fake.token);
    await ready;
    expect(client.guilds.cache.get(guild)?.name).toBe('Lab');
    await client.application!.commands.set([{ name: 'ping', description: 'ping' }], guild);
    const answer = await fake.slash(fake.member(fake.addUser('ada'), MODERATOR_PERMISSIONS), {
      channelId: channel.id,
      name: 'ping',
    });
    expect(answer.callbacks[0]).toMatchObject({ type: 4, data: { content: 'pong from Lab' } });
    await fake.waitFor(() => fake!.gateway.heartbeats() > 0, 3000, 'a heartbeat');
    // Discord asks for a reconnect; the fake refuses the resume, so the client identifies again and keeps working.
    fake.gateway.requestReconnect();
    await fake.waitFor(
      () => fake!.gateway.identifies() === 2 && fake!.gateway.sessions() === 1,
      10_000,
      'a new session',
    );
    const again = await fake.slash(fake.member(fake.addUser('bob'), MODERATOR_PERMISSIONS), {
      channelId: channel.id,
      name: 'ping',
    });
    expect(again.callbacks[0]).toMatchObject({ type: 4, data: { content: 'pong from Lab' } });
  });
});
