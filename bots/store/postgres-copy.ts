import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { GLOSSARY_TABLES } from './glossary-types';
import { PLATFORM_TABLES } from './platform-state';
import { createPgPool, inTransaction, migratePostgres, parsePgTarget } from './postgres-sql';
import type { Row } from './rows';
import { createSqliteStore } from './sqlite-store';
import { StoreError } from './types';

/**
 * The tables of a SciPop network, parents before children (items need sources, outbox needs
 * items, subscriptions need channels and sources), the digests sent, then the chat platforms' state (paused
 * destinations, send journal, queue posts…).
 */
export const COPIED_TABLES = [
  'sources',
  'channels',
  'items',
  'outbox',
  'item_verdicts',
  'subscriptions',
  'digests',
  ...PLATFORM_TABLES,
  ...GLOSSARY_TABLES,
] as const;
type Table = (typeof COPIED_TABLES)[number];

/** Rows copied per table. */
export type CopyCounts = Record<Table, number>;

const BATCH = 500;

/**
 * Copies a SQLite store into an empty PostgreSQL one, ids and all, in one PostgreSQL transaction:
 * either the whole network arrives or nothing does. The file is first migrated to the latest
 * schema (as `scipop run` would); the target is migrated, then locked so no worker writes while
 * the rows arrive. A target that already holds rows is refused rather than merged.
 */
export async function copySqliteToPostgres(
  file: string,
  url: string,
  options: { schema?: string } = {},
): Promise<CopyCounts> {
  if (!existsSync(file)) throw new StoreError('not-found', `no SQLite store at ${file}`);
  await createSqliteStore(file).close();
  const source = new Database(file, { readonly: true, fileMustExist: true });
  const target = parsePgTarget(url, options.schema);
  const pool = createPgPool(target, 2);
  try {
    await migratePostgres(pool, target.schema);
    return await inTransaction(pool, async (client) => {
      await client.query(`LOCK TABLE ${COPIED_TABLES.join(', ')} IN EXCLUSIVE MODE`);
      const existing = await client.query(
        `SELECT ${COPIED_TABLES.map((t) => `(SELECT COUNT(*) FROM ${t}) AS ${t}`).join(', ')}`,
      );
      const held = COPIED_TABLES.filter((t) => Number(existing.rows[0]?.[t]) > 0);
      if (held.length > 0) {
        throw new StoreError(
          'duplicate',
          `the target already holds rows (${held.join(', ')}); copy into an empty database or a new ?schema=`,
        );
      }
      const counts = {} as CopyCounts;
      for (const table of COPIED_TABLES) {
        const columns = (source.prepare(`PRAGMA table_info(${table})`).all() as Row[]).map((r) => String(r.name));
        const insert = (rows: Row[]) => {
          const values = rows
            .map((_, i) => `(${columns.map((__, j) => `$${i * columns.length + j + 1}`).join(', ')})`)
            .join(', ');
          return client.query(
            `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`,
            rows.flatMap((r) => columns.map((c) => r[c] ?? null)),
          );
        };
        let batch: Row[] = [];
        counts[table] = 0;
        for (const row of source.prepare(`SELECT * FROM ${table} ORDER BY rowid`).iterate() as IterableIterator<Row>) {
          batch.push(row);
          if (batch.length === BATCH) {
            await insert(batch);
            counts[table] += batch.length;
            batch = [];
          }
        }
        if (batch.length > 0) await insert(batch);
        counts[table] += batch.length;
      }
      // The glossary's published revision and signing key: the migration wrote a first revision row.
      for (const row of source.prepare(`SELECT name, value FROM glossary_meta`).all() as Row[]) {
        await client.query(
          `INSERT INTO glossary_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
          [row.name, row.value],
        );
      }
      return counts;
    });
  } finally {
    source.close();
    await pool.end();
  }
}
