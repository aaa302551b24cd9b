import type { FetchState, Store } from './types';

/** A fresh, empty database for one test; `reopen` opens it again as a new process would. */
export interface StoreHarness {
  store: Store;
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

/** The fetch state of a source fetched well at `at`, next due in an hour (tests' commitFetch calls). */
export const fetchedAt = (at: number): FetchState => ({
  etag: null,
  lastModified: null,
  nextFetchAt: at + 3_600_000,
  lastFetchAt: at,
  lastSuccessAt: at,
  failures: 0,
  lastError: null,
});
