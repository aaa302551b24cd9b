import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { defineStoreContract } from './contract';
import { LATEST_VERSION, MIGRATIONS, MIGRATIONS_TABLE } from './migrations';
import { createSqliteStore, migrateSqlite } from './sqlite-store';
import type { Store } from './types';

defineStoreContract('SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scipop-store-'));
  const file = join(dir, 'nested', 'scipop.db');
  const opened: Store[] = [createSqliteStore(file)];
  return {
    store: opened[0]!,
    reopen: async () => {
      const s = createSqliteStore(file);
      opened.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite migrations', () => {
  it('runs in WAL mode and records each step once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scipop-store-'));
    const file = join(dir, 'a.db');
    try {
      await createSqliteStore(file).close();
      await createSqliteStore(file).close();
      const db = new Database(file);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const rows = db.prepare('SELECT version FROM schema_migrations').all();
      expect(rows).toHaveLength(MIGRATIONS.length);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a database newer than the code', () => {
    const db = new Database(':memory:');
    migrateSqlite(db);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      LATEST_VERSION + 1,
      'future',
      0,
    );
    expect(() => migrateSqlite(db)).toThrow(/newer than this SciPop/);
    db.close();
  });
});

describe('SQLite migration steps', () => {
  it('upgrades a version-1 database in place, keeping its rows', async () => {
    const db = new Database(':memory:');
    db.exec(MIGRATIONS_TABLE);
    db.transaction(() => {
      for (const s of MIGRATIONS[0]!.statements) db.exec(s);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, ?, 0)').run(MIGRATIONS[0]!.name);
    })();
    db.prepare(
      "INSERT INTO channels (id, sink, target, title, rules, updated_at) VALUES ('c', 'console', 'x', 'C', '{}', 0)",
    ).run();
    db.exec(`INSERT INTO sources (id, url, title, created_at) VALUES ('s', 'https://a.example/feed', 'A', 0);
      INSERT INTO items (id, source_id, item_key, title, data, seen_at) VALUES ('i', 's', 'k', 'T', '{}', 0);
      INSERT INTO outbox (id, item_id, source_id, channel_id, status, message, created_at, not_before)
        VALUES ('o', 'i', 's', 'c', 'sent', '{"title":"T"}', 1, 2)`);
    expect(migrateSqlite(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT id, origin FROM channels').all()).toEqual([{ id: 'c', origin: 'config' }]);
    // Migration 9 rebuilt the outbox: its rows are kept as they were.
    expect(db.prepare('SELECT id, item_id, status, message, created_at, digest_at FROM outbox').all()).toEqual([
      { id: 'o', item_id: 'i', status: 'sent', message: '{"title":"T"}', created_at: 1, digest_at: null },
    ]);
    expect(
      db
        .prepare('SELECT version FROM schema_migrations ORDER BY version')
        .all()
        .map((r) => (r as { version: number }).version),
    ).toEqual(MIGRATIONS.map((m) => m.version));
    db.close();
  });
});
