import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { parseEnv } from '../config/env';
import { isPostgresUrl } from '../store/open-store';
import { copySqliteToPostgres } from '../store/postgres-copy';
import { createPgPool, migratePostgres, parsePgTarget, redactUrl } from '../store/postgres-sql';
import { migrateSqlite } from '../store/sqlite-store';
import { StoreError } from '../store/types';
import { errorMessage } from '../../shared/errors';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Runs a command; a failure is one line on stderr and exit 1. */
async function report(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    process.stderr.write(`scipop: ${errorMessage(error)}\n`);
    process.exitCode = 1;
  }
}

/** Brings the store at `target` (file or postgres:// URL) to the latest schema; the versions before and after. */
export async function migrateTarget(target: string): Promise<{ from: number; to: number }> {
  if (isPostgresUrl(target)) {
    const where = parsePgTarget(target);
    const pool = createPgPool(where, 1);
    try {
      return await migratePostgres(pool, where.schema);
    } finally {
      await pool.end();
    }
  }
  mkdirSync(dirname(target), { recursive: true });
  const db = new Database(target);
  try {
    const table = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
      .get();
    const from = table
      ? Number((db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number }).v)
      : 0;
    return { from, to: migrateSqlite(db) };
  } finally {
    db.close();
  }
}

const where = (target: string) => (isPostgresUrl(target) ? redactUrl(target) : target);

/** `scipop migrate` and `scipop store copy --from FILE --to URL`. */
export function registerStoreCommands(program: Command): void {
  program
    .command('migrate')
    .description(
      'bring the store SCIPOP_DB names (SQLite file or postgres:// URL) to the latest schema; safe to run while workers are up',
    )
    .option('--db <target>', 'a SQLite file or postgres:// URL instead of SCIPOP_DB')
    .action((o: { db?: string }) =>
      report(async () => {
        const target = o.db ?? parseEnv().SCIPOP_DB;
        const { from, to } = await migrateTarget(target);
        out(
          from === to
            ? `${where(target)}: already at schema version ${to}`
            : `${where(target)}: schema version ${from} → ${to}`,
        );
      }),
    );

  const store = program.command('store').description('move a SciPop network between stores');
  store
    .command('copy')
    .description(
      "copy a SQLite store (sources, channels, items seen, outbox, subscriptions, the chat platforms' state) into an empty PostgreSQL database or schema",
    )
    .requiredOption('--from <file>', 'the SQLite file (SCIPOP_DB of the single-process setup)')
    .requiredOption('--to <url>', 'postgres://user@host:5432/db, optionally ?schema=name')
    .action((o: { from: string; to: string }) =>
      report(async () => {
        if (!isPostgresUrl(o.to)) throw new StoreError('unsupported', `--to must be a postgres:// URL, not "${o.to}"`);
        if (isPostgresUrl(o.from) || !existsSync(o.from))
          throw new StoreError('not-found', `--from must be an existing SQLite file, not "${o.from}"`);
        const counts = await copySqliteToPostgres(o.from, o.to);
        out(
          `copied ${o.from} → ${redactUrl(o.to)}: ${Object.entries(counts)
            .map(([t, n]) => `${n} ${t}`)
            .join(', ')}`,
        );
        out('stop the single-process bot before switching; then set SCIPOP_DB to the URL and start the workers');
      }),
    );
}
