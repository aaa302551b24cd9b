import type { Store } from './types';

/** A fresh, empty database for one test; `reopen` opens it again as a new process would. */
export interface StoreHarness {
  store: Store;
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}
