import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * `--dry-run` works on a snapshot: the SQLite file is copied (VACUUM INTO, consistent under WAL)
 * to a temporary file, so a dry run shows exactly what a real run would post and changes nothing.
 */
export function snapshotDb(db: string): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'scipop-dry-run-'));
  const path = join(dir, 'snapshot.db');
  if (existsSync(db)) {
    const source = new Database(db, { readonly: true, fileMustExist: true });
    try {
      source.prepare('VACUUM INTO ?').run(path);
    } finally {
      source.close();
    }
  }
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
