import type { Store } from '../store/types';
import type { Config } from './config';

/**
 * Brings the config file's channels into the store. Channels moderators made in chat are theirs
 * and left alone. A config channel whose rules in the file are what the last start saw keeps its
 * stored rules, so moderators' edits in chat (/filter) survive restarts; when the file's rules
 * changed, the file wins and the log says whose edits it replaced.
 */
export async function syncChannels(
  store: Store,
  config: Config,
  now: number,
  log?: { warn(obj: object, msg?: string): void },
): Promise<void> {
  const wanted = new Set(config.channels.map((c) => c.id));
  const stored = new Map((await store.listChannels()).map((c) => [c.id, c]));
  for (const c of stored.values()) if (c.origin !== 'chat' && !wanted.has(c.id)) await store.removeChannel(c.id);
  for (const c of config.channels) {
    const configRules = JSON.stringify(c.rules ?? {});
    const before = stored.get(c.id);
    const unchanged = before?.origin !== 'chat' && before?.configRules === configRules;
    const edited = before !== undefined && JSON.stringify(before.rules) !== configRules;
    if (before && !unchanged && edited && before.configRules !== undefined) {
      log?.warn(
        { channel: c.id },
        "the config file changed this channel's rules: they replace the changes moderators made in chat",
      );
    }
    const rules = unchanged ? before.rules : c.rules;
    // The file's language wins when it changed since the last start; otherwise a moderator's /lang stays.
    const langUnchanged = before !== undefined && (before.configLang ?? null) === (c.lang ?? null);
    const lang = langUnchanged ? before.lang : (c.lang ?? before?.lang);
    await store.upsertChannel(
      {
        id: c.id,
        sink: c.sink,
        target: c.target,
        title: c.title ?? c.id,
        rules,
        origin: 'config',
        configRules,
        digest: c.digest ?? null,
        ...(lang ? { lang } : {}),
        configLang: c.lang ?? null,
      },
      now,
    );
  }
}
