import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordState, readDiscordStateFile } from '../../bots/discord/state';
import { importLegacyStateFile } from '../../bots/store/legacy-state';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { Store } from '../../bots/store/types';

const T0 = 1_700_000_000_000;
const log = { info: () => {}, warn: () => {}, error: () => {} };
let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scipop-discord-state-'));
  store = createSqliteStore(join(dir, 'scipop.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Discord state in the store', () => {
  it('imports an old state file, even one from before queue posts could be closed', async () => {
    const file = join(dir, 'scipop.discord.db');
    const db = new Database(file);
    db.exec(`
      CREATE TABLE paused (channel_id TEXT PRIMARY KEY, reason TEXT NOT NULL, paused_at INTEGER NOT NULL);
      CREATE TABLE queue_posts (delivery_id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, message_id TEXT NOT NULL);
      CREATE TABLE webhooks (channel_id TEXT PRIMARY KEY, id TEXT NOT NULL, token TEXT NOT NULL);
      INSERT INTO paused VALUES ('222', 'Missing Access (Discord error 50001)', ${T0});
      INSERT INTO queue_posts VALUES ('d2', '900', 'm2'), ('d1', '900', 'm1');
      INSERT INTO webhooks VALUES ('333', 'hook-1', 'secret-token');
    `);
    db.close();
    const ready = importLegacyStateFile({ store, platform: 'discord', file, read: readDiscordStateFile, log });
    const state = createDiscordState(store, ready);
    expect(await state.paused('222')).toEqual({
      channelId: '222',
      reason: 'Missing Access (Discord error 50001)',
      pausedAt: T0,
    });
    expect((await state.openQueuePosts()).map((p) => p.deliveryId)).toEqual(['d2', 'd1']); // as the file showed them
    expect(await state.queuePost('d1')).toEqual({ deliveryId: 'd1', channelId: '900', messageId: 'm1' });
    expect(await state.webhook('333')).toEqual({ id: 'hook-1', token: 'secret-token' });
    expect(await ready).toBe('imported');
    expect(await store.pausedDestination('telegram', '222')).toBeUndefined(); // kept apart from Telegram's
  });
});
