import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startScipop } from '../engine/child';
import type { FakeTelegram } from '../fakes/telegram/server';
import { GROUP, startTelegramWorld, telegramEnv, writeTelegramConfig } from './harness';

vi.setConfig({ testTimeout: 90_000 });

let tg: FakeTelegram | undefined;
let dir: string | undefined;
afterAll(async () => {
  await tg?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('`scipop run` (what `npm start` runs) with TELEGRAM_BOT_TOKEN', () => {
  it('starts a long-polling bot that answers in chat, and stops cleanly on SIGTERM', async () => {
    const world = await startTelegramWorld();
    tg = world.tg;
    dir = world.dir;
    const child = startScipop(
      ['run', '--config', writeTelegramConfig(world.dir)],
      { ...telegramEnv(world.tg, world.db), SCIPOP_LOG_LEVEL: 'debug' },
      world.dir,
    );
    await world.tg.waitFor(() => world.tg.calls.some((c) => c.method === 'getUpdates'), 60_000);
    // The command menu twice: English by default, Chinese for language_code zh.
    expect(world.tg.calls.map((c) => c.method).slice(0, 4)).toEqual([
      'getMe',
      'setMyCommands',
      'setMyCommands',
      'deleteWebhook',
    ]);
    world.tg.say(GROUP, world.tg.user(3), '/explain CRISPR');
    const reply = await world.tg.waitFor(() => world.tg.messages(GROUP).find((m) => /CRISPR/i.test(m.text)));
    expect(reply.text.length).toBeGreaterThan(40);
    child.proc.kill('SIGTERM');
    const { code, signal } = await child.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(child.stderr()).toContain('Telegram bot receiving updates by long polling');
    expect(child.stderr()).not.toContain(world.tg.token.split(':')[1]); // the token is never logged, even at debug level
  });
});
