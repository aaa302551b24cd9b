import { createPostgresStore } from './postgres-store';
import { createSqliteStore, type SqliteStoreOptions } from './sqlite-store';
import type { Store } from './types';

/** The default database when SCIPOP_DB is not set. */
export const DEFAULT_DB = './data/scipop.db';

/** True when SCIPOP_DB names a PostgreSQL database rather than a SQLite file. */
export const isPostgresUrl = (target: string): boolean => /^postgres(ql)?:\/\//i.test(target);

/**
 * Opens the store SCIPOP_DB names: a SQLite file path, or a `postgres://` URL (optionally with
 * `?schema=name`). Both are migrated to the latest schema on open. A SQLite file that cannot be
 * written (full disk, read-only) fails with `StoreError('unwritable')` saying what to do.
 */
export async function openStore(
  target: string = DEFAULT_DB,
  options: Pick<SqliteStoreOptions, 'onWriteProblem'> = {},
): Promise<Store> {
  if (isPostgresUrl(target)) return createPostgresStore(target);
  return createSqliteStore(target, options);
}

/**
 * Where earlier versions kept a platform's own small SQLite state (send journal, paused
 * destinations), now kept in the store: the configured file, else beside the SQLite store
 * (`scipop.telegram.db`), else under ./data when the store is PostgreSQL. Read once on start, to
 * import what it holds (bots/store/legacy-state.ts).
 */
export function platformStateFile(db: string, platform: string, configured?: string): string {
  if (configured) return configured;
  if (isPostgresUrl(db)) return `./data/${platform}-state.db`;
  return db === ':memory:' ? ':memory:' : `${db.replace(/\.db$/, '')}.${platform}.db`;
}
