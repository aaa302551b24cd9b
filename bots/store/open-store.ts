import { createSqliteStore } from './sqlite-store';
import { StoreError, type Store } from './types';

/** The default database when SCIPOP_DB is not set. */
export const DEFAULT_DB = './data/scipop.db';

/**
 * Opens the store SCIPOP_DB names: a SQLite file path, or a `postgres://` URL (the PostgreSQL
 * store is issue 8; until it lands such a URL is refused with a clear error).
 */
export async function openStore(target: string = DEFAULT_DB): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(target)) {
    throw new StoreError('unsupported', 'SCIPOP_DB is a PostgreSQL URL, but this build has only the SQLite store; set SCIPOP_DB to a file path');
  }
  return createSqliteStore(target);
}
