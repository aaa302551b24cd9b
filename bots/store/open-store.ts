import { createPostgresStore } from './postgres-store';
import { createSqliteStore } from './sqlite-store';
import type { Store } from './types';

/** The default database when SCIPOP_DB is not set. */
export const DEFAULT_DB = './data/scipop.db';

/** True when SCIPOP_DB names a PostgreSQL database rather than a SQLite file. */
export const isPostgresUrl = (target: string): boolean => /^postgres(ql)?:\/\//i.test(target);

/**
 * Opens the store SCIPOP_DB names: a SQLite file path, or a `postgres://` URL (optionally with
 * `?schema=name`). Both are migrated to the latest schema on open.
 */
export async function openStore(target: string = DEFAULT_DB): Promise<Store> {
  if (isPostgresUrl(target)) return createPostgresStore(target);
  return createSqliteStore(target);
}
