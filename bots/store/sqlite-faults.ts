import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, type Store } from './types';
import { errorMessage } from '../../shared/errors';

/** Free bytes under this count as a full disk (SQLite reports some full-disk writes as plain I/O errors). */
const NEARLY_FULL_BYTES = 64 * 1024;

const freeBytes = (file: string): number | null => {
  try {
    const s = statfsSync(dirname(file));
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
};

const writable = (path: string): boolean => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/** True while the disk holding `file` has almost no room left (a write that fit is no sign it is over). */
export const nearlyFull = (file: string): boolean => {
  const free = freeBytes(file);
  return free !== null && free < NEARLY_FULL_BYTES;
};

/** Whether the file (when it exists) and its folder can be written by this process. */
const canWrite = (file: string): boolean => writable(dirname(file)) && (!existsSync(file) || writable(file));

/**
 * What a failed SQLite call means for the operator, when it is the disk or the file's permissions
 * rather than the data: a `StoreError('unwritable')` that names the file, the cause and what to do,
 * with the driver's error as its `cause`. Anything else (a constraint, a bug) gives null.
 */
export function sqliteWriteFault(error: unknown, file: string): StoreError | null {
  if (error instanceof StoreError) return error.code === 'unwritable' ? error : null;
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (!/^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/.test(code)) return null;
  const full = code.startsWith('SQLITE_FULL') || nearlyFull(file);
  const readOnly = code.startsWith('SQLITE_READONLY') || !canWrite(file);
  const detail = `${code}: ${errorMessage(error)}`;
  const message = full
    ? `the disk holding the store ${file} is full (${detail}). Free some space on it: nothing stored ` +
      'is lost, and SciPop carries on by itself once it can write again'
    : readOnly
      ? `the store ${file} cannot be written: it or its folder is read-only (${detail}). Make both ` +
        'writable by the user running SciPop (or mount the disk read-write): nothing stored is lost'
      : `the store ${file} cannot be read or written (${detail}). Check the disk; nothing stored ` +
        'is changed by a failed write';
  return new StoreError('unwritable', message, { cause: error });
}

/** mkdir of the store's folder failing for lack of room or rights reads like SQLite's own faults. */
export function fsFault(error: unknown, file: string): StoreError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'EACCES' && code !== 'EROFS' && code !== 'ENOSPC' && code !== 'EPERM') return null;
  return sqliteWriteFault(Object.assign(new Error(errorMessage(error)), { code: `SQLITE_CANTOPEN_${code}` }), file);
}

/**
 * Every method of the store, with SQLite's disk and permission failures turned into
 * `StoreError('unwritable')` (reported once through `onFault`); other errors pass unchanged.
 */
export function guardWrites(store: Store, file: string, onFault: (fault: StoreError) => void): Store {
  const translate = (error: unknown): unknown => {
    const fault = sqliteWriteFault(error, file);
    if (!fault) return error;
    onFault(fault);
    return fault;
  };
  const guarded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(store)) {
    if (typeof value !== 'function' || name === 'writeProblem' || name === 'close') {
      guarded[name] = value;
      continue;
    }
    const method = value as (...args: unknown[]) => unknown;
    guarded[name] = (...args: unknown[]) => {
      try {
        const out = method(...args);
        return out instanceof Promise
          ? out.catch((error: unknown) => {
              throw translate(error);
            })
          : out;
      } catch (error) {
        throw translate(error);
      }
    };
  }
  return guarded as unknown as Store;
}
