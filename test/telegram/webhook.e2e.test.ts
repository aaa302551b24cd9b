import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import type { RunningBots } from '../../bots/main';
import type { FakeTelegram } from '../fakes/telegram/server';
import { GROUP, runInProcess, startTelegramWorld, writeTelegramConfig } from './harness';

vi.setConfig({ testTimeout: 30_000 });

let tg: FakeTelegram;
let bots: RunningBots;
let dir: string;
let port: number;
const CHANNEL = -1007777;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

beforeAll(async () => {
  const world = await startTelegramWorld();
  tg = world.tg;
  dir = world.dir;
  port = await freePort();
  tg.addChat({ id: CHANNEL, type: 'channel', title: 'Science channel' });
  const file = writeTelegramConfig(dir, {
    channels: [
      { id: 'tg-main', target: String(GROUP) },
      { id: 'tg-channel', target: String(CHANNEL) },
    ],
  });
  const config = parse(readFileSync(file, 'utf8')) as { telegram: Record<string, unknown> };
  config.telegram.webhook = { url: `http://127.0.0.1:${port}/telegram`, port, secretToken: 'test-secret' };
  writeFileSync(file, stringify(config));
  bots = await runInProcess(tg, world.db, file);
});
afterAll(async () => {
  await bots?.stop();
  await tg?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('updates by webhook instead of long polling', () => {
  it('registers the webhook with its secret and answers commands that arrive through it', async () => {
    expect(tg.state.webhook).toEqual({ url: `http://127.0.0.1:${port}/telegram`, secretToken: 'test-secret' });
    expect(tg.calls.some((c) => c.method === 'getUpdates')).toBe(false);
    tg.say(GROUP, tg.user(5), '/explain exoplanet');
    const reply = await tg.waitFor(() => tg.messages(GROUP).find((m) => /exoplanet/i.test(m.text)));
    expect(reply.text).toMatch(/planet/i);
  });

  it('takes commands posted in a channel (only its admins can post) but keeps the queue out of it', async () => {
    const poster = tg.user(6);
    tg.say(CHANNEL, poster, '/help add');
    const help = await tg.waitFor(() => tg.messages(CHANNEL).find((m) => m.text.startsWith('/add URL')));
    expect(help.text).toContain('fetches and checks the feed first');
    tg.say(CHANNEL, poster, '/queue');
    const refusal = await tg.waitFor(() =>
      tg.messages(CHANNEL).find((m) => m.text.startsWith('The queue is not shown in a channel')),
    );
    expect(refusal).toBeTruthy();
  });

  it('refuses an update without the secret token', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ update_id: 999 }),
    });
    expect(res.status).toBe(401);
  });
});
