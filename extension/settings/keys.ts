/** The key the settings live under in `storage.local`. */
export const SETTINGS_KEY = 'settings';

/** The key imported packs live under in `storage.local`. */
export const PACKS_KEY = 'importedPacks';
