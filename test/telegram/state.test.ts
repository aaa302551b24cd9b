import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importLegacyStateFile } from '../../bots/store/legacy-state';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { Store } from '../../bots/store/types';
import { createSendLimiter } from '../../bots/telegram/limiter';
import { createTelegramState, readTelegramStateFile } from '../../bots/telegram/state';

const T0 = 1_700_000_000_000;
let dir: string;
let store: Store;
const logged: { level: string; msg?: string; obj: object }[] = [];
const log = {
  info: (obj: object, msg?: string) => void logged.push({ level: 'info', msg, obj }),
  warn: (obj: object, msg?: string) => void logged.push({ level: 'warn', msg, obj }),
  error: (obj: object, msg?: string) => void logged.push({ level: 'error', msg, obj }),
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scipop-tg-state-'));
  store = createSqliteStore(join(dir, 'scipop.db'));
  logged.length = 0;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A state file exactly as SciPop wrote it before the state moved into the store. */
function writeOldFile(file: string): void {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE sent (delivery_id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, message_id INTEGER NOT NULL, title TEXT NOT NULL, sent_at INTEGER NOT NULL);
    CREATE TABLE paused_chats (chat_id TEXT PRIMARY KEY, reason TEXT NOT NULL, paused_at INTEGER NOT NULL);
    CREATE TABLE migrations (from_chat TEXT PRIMARY KEY, to_chat TEXT NOT NULL);
    CREATE TABLE held_rows (delivery_id TEXT PRIMARY KEY, chat_id TEXT NOT NULL);
    CREATE TABLE summaries (delivery_id TEXT PRIMARY KEY, summary TEXT NOT NULL, by TEXT NOT NULL, at INTEGER NOT NULL);
    INSERT INTO sent VALUES ('d1', '-1001', 41, 'First post', ${T0}), ('d2', '-1001', 42, 'Second post', ${T0 + 1});
    INSERT INTO paused_chats VALUES ('-1002', 'Forbidden: bot was kicked from the supergroup chat', ${T0});
    INSERT INTO migrations VALUES ('-5', '-1001');
    INSERT INTO held_rows VALUES ('d9', '-1002');
    INSERT INTO summaries VALUES ('d7', 'A moderator''s words.', 'telegram:11', ${T0});
  `);
  db.close();
}

describe('the Telegram state in the store', () => {
  it('imports an old state file once and leaves the file alone', async () => {
    const file = join(dir, 'scipop.telegram.db');
    writeOldFile(file);
    const ready = importLegacyStateFile({
      store,
      platform: 'telegram',
      file,
      read: readTelegramStateFile,
      log,
      now: T0,
    });
    const state = createTelegramState(store, ready);
    expect(await state.sentRecord('d2')).toEqual({
      deliveryId: 'd2',
      chatId: '-1001',
      messageId: 42,
      title: 'Second post',
      sentAt: T0 + 1,
    });
    expect((await state.recentSent('-1001', 5)).map((r) => r.title)).toEqual(['Second post', 'First post']);
    expect(await state.paused('-1002')).toMatchObject({ reason: 'Forbidden: bot was kicked from the supergroup chat' });
    expect(await state.currentChat('-5')).toBe('-1001');
    expect(await state.summary('d7')).toBe("A moderator's words.");
    expect(await ready).toBe('imported');
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: expect.stringMatching(/imported the old state file/),
        obj: expect.objectContaining({ file, paused: 1, journal: 2 }),
      }),
    ]);
    expect(existsSync(file)).toBe(true);

    // A resume afterwards is not undone by the next start.
    expect(await state.resume('-1002')).toBe(true);
    expect(await state.takeHeldRows('-1002')).toEqual(['d9']);
    expect(await importLegacyStateFile({ store, platform: 'telegram', file, read: readTelegramStateFile, log })).toBe(
      'already',
    );
    expect(await state.paused('-1002')).toBeUndefined();
  });

  it('starts without a file, and says so when a file cannot be read', async () => {
    expect(
      await importLegacyStateFile({
        store,
        platform: 'telegram',
        file: join(dir, 'none.db'),
        read: readTelegramStateFile,
        log,
      }),
    ).toBe('no-file');
    const broken = join(dir, 'broken.db');
    writeFileSync(broken, 'not a database, just text that happens to sit where the state file was');
    expect(
      await importLegacyStateFile({ store, platform: 'telegram', file: broken, read: readTelegramStateFile, log }),
    ).toBe('failed');
    expect(logged[0]).toMatchObject({ level: 'error', obj: { file: broken } });
  });
});

describe('the send limiter across workers', () => {
  const clock = () => {
    let t = T0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  };
  const limits = {
    global: { count: 30, windowMs: 1000 },
    group: { count: 20, windowMs: 60_000 },
    chat: { count: 1, windowMs: 1000 },
  };

  it('counts another worker’s recent posts to a group after a hand-off', () => {
    const c = clock();
    const limiter = createSendLimiter(limits, c);
    expect(limiter.delayFor(-1001)).toBe(0);
    limiter.seed(
      -1001,
      Array.from({ length: 20 }, (_, i) => T0 - 30_000 + i * 1000),
    );
    expect(limiter.delayFor(-1001)).toBe(30_000); // the oldest of the 20 leaves the minute window
    expect(limiter.delayFor(-1002)).toBe(0);
  });

  it('keeps to its share of the bot’s global budget', async () => {
    const c = clock();
    const limiter = createSendLimiter(limits, c);
    limiter.share(3);
    for (let i = 0; i < 10; i++) (await limiter.acquire(-2000 - i))();
    expect(c.now()).toBe(T0); // ten a second: 30 / 3 workers
    expect(limiter.delayFor(-3000)).toBe(1000);
    limiter.share(1);
    expect(limiter.delayFor(-3000)).toBe(0);
  });
});
