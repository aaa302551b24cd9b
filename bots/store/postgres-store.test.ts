import { describe, expect, it } from 'vitest';
import { createTestSchema, withAdmin } from '../../test/store/postgres';
import { defineStoreContract } from './contract';
import { LATEST_VERSION, MIGRATIONS, MIGRATIONS_TABLE } from './migrations';
import { createPgPool, migratePostgres, parsePgTarget, redactUrl, toPg } from './postgres-sql';
import { createPostgresStore } from './postgres-store';
import type { Store } from './types';

defineStoreContract('PostgreSQL', async () => {
  const t = await createTestSchema();
  const opened: Store[] = [await createPostgresStore(t.url)];
  return {
    store: opened[0]!,
    reopen: async () => {
      const s = await createPostgresStore(t.url);
      opened.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of opened) await s.close();
      await t.drop();
    },
  };
});

describe('PostgreSQL SQL translation', () => {
  it('numbers placeholders and sorts ids in byte order', () => {
    expect(toPg('SELECT * FROM t WHERE a = ? AND b > ? ORDER BY created_at, id LIMIT ?')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b > $2 ORDER BY created_at, id COLLATE "C" LIMIT $3',
    );
  });

  it('reads the schema from the URL and refuses unsafe names', () => {
    expect(parsePgTarget('postgres://u@h:5432/db?schema=net_a')).toEqual({
      url: 'postgres://u@h:5432/db',
      schema: 'net_a',
    });
    expect(parsePgTarget('postgres://u@h/db').schema).toBe('public');
    expect(() => parsePgTarget('postgres://u@h/db?schema=a;drop')).toThrow(/schema/);
    expect(parsePgTarget('postgres://u@/db?host=/run/postgresql&schema=s1&sslmode=disable')).toEqual({
      url: 'postgres://u@/db?host=/run/postgresql&sslmode=disable',
      schema: 's1',
    });
    expect(parsePgTarget('postgresql://u:p@h/db?schema=s1&sslmode=require').url).toBe(
      'postgresql://u:p@h/db?sslmode=require',
    );
    expect(() => parsePgTarget('postgres://[bad')).toThrow('not a valid postgres:// URL: postgres://[bad');
    expect(redactUrl('postgres://scipop:s3cret@db:5432/x?schema=a')).toBe('postgres://scipop:***@db:5432/x?schema=a');
  });
});

describe('PostgreSQL migrations', () => {
  it('lets many workers start at once: one migrates, each step is recorded once', async () => {
    const t = await createTestSchema();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => createPostgresStore(t.url, { poolSize: 2 })));
      for (const s of stores) expect(await s.schemaVersion()).toBe(LATEST_VERSION);
      await Promise.all(stores.map((s) => s.close()));
      const rows = await withAdmin((c) =>
        c.query(`SELECT version FROM ${t.schema}.schema_migrations ORDER BY version`),
      );
      expect(rows.rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await t.drop();
    }
  });

  it('upgrades a version-1 schema in place, keeping its rows, and refuses one newer than the code', async () => {
    const t = await createTestSchema();
    const pool = createPgPool(parsePgTarget(t.url));
    try {
      await pool.query(`CREATE SCHEMA ${t.schema}`);
      await pool.query(MIGRATIONS_TABLE);
      for (const s of MIGRATIONS[0]!.statements) await pool.query(s);
      await pool.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, $1, 0)', [
        MIGRATIONS[0]!.name,
      ]);
      await pool.query(
        "INSERT INTO channels (id, sink, target, title, rules, updated_at) VALUES ('c', 'console', 'x', 'C', '{}', 0)",
      );
      await pool.query(
        "INSERT INTO sources (id, url, title, created_at) VALUES ('s', 'https://a.example/feed', 'A', 0)",
      );
      await pool.query(
        "INSERT INTO items (id, source_id, item_key, title, data, seen_at) VALUES ('i', 's', 'k', 'T', '{}', 0)",
      );
      await pool.query(`INSERT INTO outbox (id, item_id, source_id, channel_id, status, message, created_at, not_before)
        VALUES ('o', 'i', 's', 'c', 'sent', '{"title":"T"}', 1, 2)`);
      expect(await migratePostgres(pool, t.schema)).toEqual({ from: 1, to: LATEST_VERSION });
      expect((await pool.query('SELECT id, origin FROM channels')).rows).toEqual([{ id: 'c', origin: 'config' }]);
      // Migration 9 rebuilt the outbox: its rows are kept as they were.
      expect((await pool.query('SELECT id, item_id, status, message, digest_at FROM outbox')).rows).toEqual([
        { id: 'o', item_id: 'i', status: 'sent', message: '{"title":"T"}', digest_at: null },
      ]);
      await pool.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)', [
        LATEST_VERSION + 1,
        'future',
      ]);
      await expect(createPostgresStore(t.url)).rejects.toThrow(/newer than this SciPop/);
    } finally {
      await pool.end();
      await t.drop();
    }
  });

  it('fails loudly, naming the server, when PostgreSQL cannot be reached', async () => {
    await expect(createPostgresStore('postgres://postgres:pw@127.0.0.1:1/test')).rejects.toThrow(
      /^PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test \(schema public\): .*ECONNREFUSED/,
    );
    await expect(createPostgresStore('postgres://postgres@localhost:1/test?schema=x')).rejects.toThrow(
      /^PostgreSQL at postgres:\/\/postgres@localhost:1\/test \(schema x\): \S/,
    );
  });
});
