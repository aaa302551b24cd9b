import { migrateSettings } from './migrate';
import { SETTINGS_KEY, SettingsSchema, type Settings } from './schema';

// Also exported here for the stores' callers; the content script imports the zod-free module.
export { isActiveOn } from './active';

/** The part of `browser.storage` the stores use, so tests pass WXT's fake browser. */
export interface StorageLike {
  local: {
    get(keys: string | string[]): Promise<Record<string, unknown>>;
    set(items: Record<string, unknown>): Promise<void>;
  };
  onChanged: {
    addListener(cb: (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string) => void): void;
    removeListener(
      cb: (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string) => void,
    ): void;
  };
}

/** Reads, changes and watches the reader's settings. */
export interface SettingsStore {
  get(): Promise<Settings>;
  /** Applies a change to the current settings, validates the result and stores it. */
  update(change: Partial<Settings> | ((current: Settings) => Partial<Settings>)): Promise<Settings>;
  /** Calls `listener` with the new settings whenever they change in any tab or page. */
  watch(listener: (settings: Settings) => void): () => void;
}

/** The settings store over `storage.local`; stored data is migrated on every read. */
export function createSettingsStore(storage: StorageLike): SettingsStore {
  const get = async (): Promise<Settings> => migrateSettings((await storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]);
  return {
    get,
    async update(change) {
      const current = await get();
      const patch = typeof change === 'function' ? change(current) : change;
      const next = SettingsSchema.parse({ ...current, ...patch, version: current.version });
      await storage.local.set({ [SETTINGS_KEY]: next });
      return next;
    },
    watch(listener) {
      const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
        if (area !== 'local' || !(SETTINGS_KEY in changes)) return;
        listener(migrateSettings(changes[SETTINGS_KEY]?.newValue));
      };
      storage.onChanged.addListener(onChanged);
      return () => storage.onChanged.removeListener(onChanged);
    },
  };
}
