import type { Settings } from './schema';

/** Whether SciPop runs on a page of this host under these settings. */
export function isActiveOn(settings: Pick<Settings, 'enabled' | 'disabledSites'>, host: string): boolean {
  return settings.enabled && !settings.disabledSites.includes(host.toLowerCase());
}
