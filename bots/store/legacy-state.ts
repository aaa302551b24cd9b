import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { ImportOutcome, PlatformStateSnapshot, PlatformStateStore } from './platform-types';
import type { Row } from './rows';
import { errorMessage } from '../../shared/errors';

/** Reads one table of an old state file, in the order its rows were written; a table the file never had reads as empty. */
export type TableReader = (table: string) => Row[];

/** What the import tells the operator. */
interface ImportLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Before the platform state moved into the Store, each process kept it in a SQLite file of its own
 * (`scipop.telegram.db`, `scipop.discord.db`). On start, a file that is still there is imported
 * once, when the store holds none of this platform's state yet; the file itself is left alone
 * (an older SciPop can still be started on it), and the log says what happened to it.
 */
export async function importLegacyStateFile(options: {
  store: PlatformStateStore;
  platform: string;
  file: string;
  read: (table: TableReader) => PlatformStateSnapshot;
  log: ImportLog;
  now?: number;
}): Promise<ImportOutcome | 'no-file' | 'failed'> {
  const { store, platform, file, log } = options;
  if (file === ':memory:' || !existsSync(file)) return 'no-file';
  let snapshot: PlatformStateSnapshot;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const tables = new Set(
        (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Row[]).map((r) => String(r.name)),
      );
      snapshot = options.read((table) =>
        tables.has(table) ? (db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Row[]) : [],
      );
    } finally {
      db.close();
    }
  } catch (error) {
    log.error(
      { platform, file, err: errorMessage(error) },
      'could not read the old state file; it was not imported (it is left as it is: fix it and restart to import it)',
    );
    return 'failed';
  }
  const outcome = await store.importPlatformState(platform, snapshot, file, options.now ?? Date.now());
  const counts = Object.fromEntries(Object.entries(snapshot).map(([k, v]) => [k, (v as unknown[]).length]));
  if (outcome === 'imported')
    log.info(
      { platform, file, ...counts },
      'imported the old state file into the store; the file is no longer used and may be deleted',
    );
  else if (outcome === 'not-empty')
    log.warn(
      { platform, file, ...counts },
      'the old state file was not imported: the store already holds this platform’s state (another worker started first); the file is left as it is',
    );
  else
    log.info(
      { platform, file },
      'an old state file is still here; the store took this platform’s state in on an earlier start, so it is not read again (it may be deleted)',
    );
  return outcome;
}
