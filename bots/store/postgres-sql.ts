import pg from 'pg';
import { LATEST_VERSION, MIGRATIONS, MIGRATIONS_TABLE } from './migrations';
import { bind, query } from './named';
import { Q, SQL } from './queries';
import { StoreError } from './types';

/**
 * The PostgreSQL side of the portable SQL: placeholder numbering, byte-order sorting of text ids,
 * where to find the store (URL and schema), and the migration runner.
 */

/**
 * Turns the shared `?` placeholders into `$1, $2, …` and sorts text ids in byte order
 * (`COLLATE "C"`), as SQLite does, whatever collation the database was created with.
 */
export function toPg(sql: string): string {
  let n = 0;
  return sql
    .replace(/\?/g, () => `$${++n}`)
    .replace(/(ORDER BY [\w, ]*?\bid)\b/g, '$1 COLLATE "C"')
    .replace('/*LOCK*/', 'FOR UPDATE SKIP LOCKED');
}

/** The queries without parameters of queries.ts in PostgreSQL form. */
export const PG: { [K in keyof typeof SQL]: string } = Object.fromEntries(
  Object.entries(SQL).map(([k, v]) => [k, toPg(v)]),
) as never;

/** The queries only PostgreSQL has: an array parameter where SQLite lists one placeholder a key. */
export const PG_Q = {
  markListed: query<{ now: number; sourceId: string; keys: string[]; before: number }>(
    `UPDATE items SET last_listed_at = :now WHERE source_id = :sourceId AND item_key = ANY(:keys::text[])
    AND COALESCE(last_listed_at, seen_at) < :before`,
  ),
  seenKeys: query<{ sourceId: string; keys: string[] }>(
    `SELECT item_key FROM items WHERE source_id = :sourceId AND item_key = ANY(:keys::text[])`,
  ),
} as const;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Where a PostgreSQL store lives: the connection URL (without `schema`) and the schema. */
export interface PgTarget {
  url: string;
  schema: string;
}

/**
 * Splits a SCIPOP_DB URL: `postgres://user@host:5432/db?schema=scipop` keeps the store in schema
 * `scipop` (default `public`), so one database can hold several networks. The rest of the URL goes
 * to `pg` untouched (it also takes forms WHATWG URL refuses, such as `postgres://user@/db?host=/run/postgresql`).
 */
export function parsePgTarget(url: string, schema?: string): PgTarget {
  const withHost = url.replace(/^(postgres(?:ql)?:\/\/(?:[^/@]*@)?)(?=[/?]|$)/i, '$1localhost');
  if (!/^postgres(ql)?:\/\//i.test(url) || !URL.canParse(withHost))
    throw new StoreError('unsupported', `not a valid postgres:// URL: ${redactUrl(url)}`);
  const match = /[?&]schema=([^&#]*)/.exec(url);
  const rest = match ? url.replace(/([?&])schema=[^&#]*&?/, '$1').replace(/[?&]$/, '') : url;
  const name = schema ?? (match ? decodeURIComponent(match[1]!) : 'public');
  if (!SCHEMA_NAME.test(name))
    throw new StoreError('unsupported', `schema "${name}" must be lower-case letters, digits and _`);
  return { url: rest, schema: name };
}

/** A URL safe to print: the password is replaced. */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

/** A pool whose connections all work in `schema` (search_path is set at connect). */
export function createPgPool(target: PgTarget, max = 10): pg.Pool {
  return new pg.Pool({
    connectionString: target.url,
    max,
    options: `-c search_path=${target.schema}`,
    connectionTimeoutMillis: 10_000,
  });
}

/**
 * Checks a connection out of `pool` for `work`. The pool listens for errors only on idle
 * connections: a server that goes away while one is checked out makes it emit 'error', and an
 * unheard 'error' ends the process. This listens until the connection goes back, and a connection
 * that failed is destroyed rather than reused; `work`'s error then says why it failed.
 */
async function withConnection<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient, broke: (e: Error) => void) => Promise<T>,
) {
  const client = await pool.connect();
  let broken: Error | undefined;
  const broke = (error: Error) => (broken ??= error);
  client.on('error', broke);
  try {
    return await work(client, broke);
  } catch (error) {
    // Say why the connection failed ("terminating connection due to administrator command"), not
    // only that it is no longer queryable.
    if (broken && error !== broken)
      throw new Error(`the PostgreSQL connection was lost: ${broken.message}`, { cause: error });
    throw error;
  } finally {
    client.removeListener('error', broke);
    client.release(broken);
  }
}

/** Runs `work` in one transaction on one pooled connection; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withConnection(pool, async (client, broke) => {
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(broke);
      throw error;
    }
  });
}

/** The applied schema version; 0 when the store was never migrated. */
export async function pgSchemaVersion(pool: pg.Pool): Promise<number> {
  const exists = await pool.query(`SELECT to_regclass('schema_migrations') AS t`);
  if (exists.rows[0]?.t === null) return 0;
  return Number((await pool.query(PG.schemaVersion)).rows[0]?.v ?? 0);
}

/**
 * Creates the schema if needed and applies every newer migration, each step in its own
 * transaction. An advisory lock per schema lets many workers start at once: one migrates, the
 * others wait and then find nothing to do. Returns the version before and after.
 */
export async function migratePostgres(
  pool: pg.Pool,
  schema: string,
  now = Date.now(),
): Promise<{ from: number; to: number }> {
  const lockKey = `scipop-migrate:${schema}`;
  return withConnection(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(MIGRATIONS_TABLE);
      const from = Number((await client.query(PG.schemaVersion)).rows[0]?.v ?? 0);
      if (from > LATEST_VERSION) {
        throw new StoreError(
          'migration',
          `database schema is version ${from}, newer than this SciPop (${LATEST_VERSION}); upgrade SciPop`,
        );
      }
      for (const step of MIGRATIONS) {
        if (step.version <= from) continue;
        await client.query('BEGIN');
        try {
          for (const statement of step.statements) await client.query(statement);
          if (step.seed) {
            const rows: Record<string, Record<string, unknown>[]> = {};
            for (const [k, sql] of Object.entries(step.seed.reads)) rows[k] = (await client.query(toPg(sql))).rows;
            for (const [sql, args] of step.seed.writes(rows, now)) await client.query(toPg(sql), args);
          }
          const [record, args] = bind(Q.recordMigration, { version: step.version, name: step.name, now });
          await client.query(toPg(record), args);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
      return { from, to: Math.max(from, LATEST_VERSION) };
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  });
}
