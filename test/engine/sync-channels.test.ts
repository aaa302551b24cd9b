import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../bots/config/config';
import { syncChannels } from '../../bots/config/sync-channels';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { Store } from '../../bots/store/types';

const dir = mkdtempSync(join(tmpdir(), 'scipop-sync-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const config = (tags: string[]) =>
  parseConfig({
    channels: [
      { id: 'tg-main', sink: 'telegram', target: '-1001', rules: { tags } },
      { id: 'console', sink: 'console', target: 'stdout' },
    ],
  });

describe("syncChannels: the config file and moderators' edits", () => {
  it("keeps a moderator's /filter across restarts while the file is unchanged; a changed file wins and says so", async () => {
    const store: Store = createSqliteStore(join(dir, 'sync.db'));
    const warnings: object[] = [];
    const log = { warn: (obj: object) => void warnings.push(obj) };
    await syncChannels(store, config(['astronomy']), 1, log);
    const [first] = (await store.listChannels()).filter((c) => c.id === 'tg-main');
    expect(first?.rules).toMatchObject({ tags: ['astronomy'] });
    // A moderator narrows the channel in chat (the commands upsert the stored channel with new rules).
    const edited = { ...(first!.rules as object), tags: ['astronomy', 'physics'] };
    await store.upsertChannel({ ...first!, rules: edited }, 2);
    await store.upsertChannel(
      { id: 'tg-chat', sink: 'telegram', target: '-1002', title: 'Made in chat', rules: {}, origin: 'chat' },
      2,
    );
    // Restart with the same file: the edit stays.
    await syncChannels(store, config(['astronomy']), 3, log);
    expect((await store.listChannels()).find((c) => c.id === 'tg-main')?.rules).toEqual(edited);
    expect(warnings).toEqual([]);
    // The operator edits the file: it replaces the moderator's rules, and the log says so.
    await syncChannels(store, config(['biology']), 4, log);
    expect((await store.listChannels()).find((c) => c.id === 'tg-main')?.rules).toMatchObject({ tags: ['biology'] });
    expect(warnings).toEqual([{ channel: 'tg-main' }]);
    // Gone from the file: removed; the chat-made channel stays.
    await syncChannels(
      store,
      parseConfig({ channels: [{ id: 'console', sink: 'console', target: 'stdout' }] }),
      5,
      log,
    );
    expect((await store.listChannels()).map((c) => c.id)).toEqual(['console', 'tg-chat']);
    await store.close();
  });

  it("keeps a moderator's /lang across restarts while the file's lang is unchanged; a changed one wins", async () => {
    const store: Store = createSqliteStore(join(dir, 'lang.db'));
    const withLang = (lang?: string) =>
      parseConfig({ channels: [{ id: 'tg', sink: 'telegram', target: '-1001', ...(lang ? { lang } : {}) }] });
    const tg = async () => (await store.listChannels()).find((c) => c.id === 'tg')!;
    await syncChannels(store, withLang(), 1);
    expect((await tg()).lang).toBeUndefined();
    await store.upsertChannel({ ...(await tg()), lang: 'zh-Hans' }, 2); // a moderator's /lang zh-Hans
    await syncChannels(store, withLang(), 3);
    expect((await tg()).lang).toBe('zh-Hans');
    await syncChannels(store, withLang('en'), 4); // the operator sets it in the file
    expect((await tg()).lang).toBe('en');
    await store.upsertChannel({ ...(await tg()), lang: 'zh-Hans' }, 5);
    await syncChannels(store, withLang('en'), 6); // the same file again: the moderator's choice stays
    expect((await tg()).lang).toBe('zh-Hans');
    expect(() => withLang('fr')).toThrow(/channels\.0\.lang: unknown language "fr": use "en" or "zh-Hans"/);
    await store.close();
  });
});
