/** The key the settings live under in `storage.local`. */
export const SETTINGS_KEY = 'settings';

/** The key imported packs live under in `storage.local`. */
export const PACKS_KEY = 'importedPacks';

/** The key the community-glossary subscriptions (address and status) live under in `storage.local`. */
export const SUBSCRIPTIONS_KEY = 'subscriptions';

/** The key the verified copies of subscribed community glossaries live under in `storage.local`. */
export const SUBSCRIBED_KEY = 'subscribedGlossaries';
