import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import {
  createPublishedFolder,
  createTestKey,
  servePublishedFolder,
  testEntry,
  type PublishedFolder,
  type PublishedServer,
} from '../../test/support/published-glossary';
import { checkAddress, readSubscribeHash } from './address';
import { createSubscriptionStore, type SubscriptionStore } from './store';
import { createSubscriptionUpdater, UPDATE_ALARM, type SubscriptionUpdater } from './updater';

let folder: PublishedFolder;
let server: PublishedServer;
let store: SubscriptionStore;
let updater: SubscriptionUpdater;
let clock: number;
const alarms: { name: string; when?: number }[] = [];

const en = (...ids: string[]) => new Map([['en', ids.map((id) => testEntry(id))]]);

beforeEach(async () => {
  fakeBrowser.reset();
  folder = createPublishedFolder('Lab community');
  folder.publish({ entries: en('alpha-star', 'beta-star', 'gamma-star') });
  server = await servePublishedFolder(folder.dir);
  store = createSubscriptionStore(fakeBrowser.storage);
  clock = 1_000_000;
  alarms.length = 0;
  updater = createSubscriptionUpdater({
    store,
    now: () => clock,
    random: () => 0.5,
    alarms: { create: (name, info) => alarms.push({ name, when: info.when }), clear: (name) => alarms.push({ name }) },
  });
});

afterEach(async () => {
  await server.close();
  folder.remove();
});

const subscribe = async (key = folder.key.publicKey) => {
  const address = checkAddress(server.indexUrl, key);
  if (!address.ok) throw new Error(address.error);
  await store.add(address.value, clock);
  return updater.check(address.value.url);
};
const inUse = async () => (await store.copies())[0]?.packs.flatMap((p) => p.entries.map((e) => e.id)) ?? [];
const status = async () => (await store.list())[0]!;

describe('an update check', () => {
  it('downloads the signed packs on the first check and records name, revision and the next check', async () => {
    const result = await subscribe();
    expect(result).toMatchObject({ ok: true, via: 'full' });
    expect(await inUse()).toEqual(['alpha-star', 'beta-star', 'gamma-star']);
    expect(await status()).toMatchObject({ name: 'Lab community', revision: 1, lastCheck: clock });
    expect((await status()).lastError).toBeUndefined();
    // checkAfterSeconds 3600, jittered by up to a quarter (here an eighth).
    expect((await status()).nextCheck).toBe(clock + 3600_000 * 1.125);
    expect(alarms.at(-1)).toEqual({ name: UPDATE_ALARM, when: clock + 3600_000 * 1.125 });
  });

  it('moves only the diff when the index offers one from the revision in use', async () => {
    await subscribe();
    folder.publish({
      entries: new Map([
        ['en', [testEntry('alpha-star', { short: 'A new text.' }), testEntry('beta-star'), testEntry('delta-star')]],
      ]),
    });
    server.requests.length = 0;
    const result = await updater.check(server.indexUrl);
    expect(result).toMatchObject({ ok: true, via: 'diff' });
    expect(server.requests.map((r) => r.path)).toEqual(['index.json', 'index.json.sig', 'diffs/1-2.json']);
    expect(await inUse()).toEqual(['alpha-star', 'beta-star', 'delta-star']);
    expect((await store.copies())[0]!.packs[0]!.entries[0]!.short).toBe('A new text.');
    expect((await status()).revision).toBe(2);
  });

  it('downloads the full packs when the diff does not rebuild them exactly', async () => {
    await subscribe();
    folder.publish({ entries: en('alpha-star', 'delta-star') });
    // A diff that is well signed in the index but leaves out a change: the rebuilt pack's hash differs.
    const index = JSON.parse(folder.read('index.json').toString());
    const diff = JSON.parse(folder.read('diffs/1-2.json').toString());
    diff.changes = diff.changes.slice(1);
    const text = JSON.stringify(diff);
    folder.write('diffs/1-2.json', text);
    const { createHash } = await import('node:crypto');
    index.diffs[0].sha256 = createHash('sha256').update(text).digest('hex');
    folder.write('index.json', JSON.stringify(index));
    folder.resign();
    expect(await updater.check(server.indexUrl)).toMatchObject({ ok: true, via: 'full' });
    expect(await inUse()).toEqual(['alpha-star', 'delta-star']);
  });

  it('answers an unchanged index without downloading the packs again', async () => {
    await subscribe();
    server.requests.length = 0;
    clock += 5000;
    expect(await updater.check(server.indexUrl)).toMatchObject({ ok: true, via: 'unchanged' });
    expect(server.requests.map((r) => r.path)).toEqual(['index.json', 'index.json.sig']);
    expect(await status()).toMatchObject({ revision: 1, lastCheck: clock });
  });

  describe('keeps the last good copy and says why', () => {
    const failsWith = async (pattern: RegExp) => {
      clock += 60_000;
      const result = await updater.check(server.indexUrl);
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(pattern) });
      expect(await inUse()).toEqual(['alpha-star', 'beta-star', 'gamma-star']);
      expect(await status()).toMatchObject({
        revision: 1,
        lastCheck: clock,
        lastError: expect.stringMatching(pattern),
      });
      expect((await status()).nextCheck).toBe(clock + 15 * 60_000 * 1.125);
    };

    it('when the index was changed after signing', async () => {
      await subscribe();
      folder.publish({ entries: en('alpha-star', 'evil-star') });
      folder.write('index.json', folder.read('index.json').toString().replace('"revision": 2', '"revision": 3'));
      await failsWith(/signature does not match/);
    });

    it('when the key is not the glossary’s', async () => {
      await subscribe();
      // The same URL with another key: the reader re-subscribed with a wrong key.
      const other = createTestKey().publicKey;
      const address = checkAddress(server.indexUrl, other);
      if (!address.ok) throw new Error(address.error);
      const result = await updater.check(server.indexUrl);
      expect(result).toMatchObject({ ok: true });
      await store.add(address.value, clock);
      expect(await updater.check(server.indexUrl)).toMatchObject({
        ok: false,
        error: expect.stringMatching(/signature/),
      });
      expect(await inUse()).toEqual([]);
      expect((await status()).lastError).toMatch(/signature does not match/);
    });

    it('when a pack does not match its hash', async () => {
      await subscribe();
      folder.publish({ entries: en('alpha-star', 'delta-star') });
      folder.write('packs/en.json', folder.read('packs/en.json').toString().replace('delta star', 'delta stars'));
      // No diff from revision 1 either, so the full pack is needed.
      const index = JSON.parse(folder.read('index.json').toString());
      index.diffs = [];
      folder.write('index.json', JSON.stringify(index));
      folder.resign();
      await failsWith(/packs\/en\.json does not match the hash/);
    });

    it('when the server is down, or gone', async () => {
      await subscribe();
      server.down = true;
      await failsWith(/answered 503/);
      server.down = false;
      await server.close();
      await failsWith(/could not be reached/);
    });

    it('when the index is not valid JSON, or not a published index', async () => {
      await subscribe();
      folder.write('index.json', '{ "format": 1, nope');
      folder.resign();
      await failsWith(/not valid JSON/);
      folder.write('index.json', JSON.stringify({ format: 1, name: 'x' }));
      folder.resign();
      await failsWith(/not a published glossary \(revision/);
    });

    it('when the server goes back to an older revision', async () => {
      await subscribe();
      const old = folder.read('index.json');
      folder.publish({ entries: en('alpha-star', 'beta-star', 'gamma-star', 'delta-star') });
      await updater.check(server.indexUrl);
      folder.write('index.json', old);
      folder.resign();
      clock += 60_000;
      const result = await updater.check(server.indexUrl);
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/revision 1, older than revision 2/) });
      expect(await status()).toMatchObject({ revision: 2 });
    });
  });

  it('checks only the subscriptions that are due, and clears the alarm when none is left', async () => {
    await subscribe();
    server.requests.length = 0;
    await updater.checkDue();
    expect(server.requests).toEqual([]);
    clock = (await status()).nextCheck!;
    await updater.checkDue();
    expect(server.requests.map((r) => r.path)).toEqual(['index.json', 'index.json.sig']);
    await store.remove(server.indexUrl);
    expect(await store.copies()).toEqual([]);
    await updater.schedule();
    expect(alarms.at(-1)).toEqual({ name: UPDATE_ALARM });
  });
});

describe('a subscription address', () => {
  const key = createTestKey().publicKey;

  it('accepts https anywhere and http on localhost and 127.0.0.1 only', () => {
    expect(checkAddress('https://example.org/glossary/v1/index.json', key)).toMatchObject({ ok: true });
    expect(checkAddress('http://localhost:8080/glossary/v1/index.json', key)).toMatchObject({ ok: true });
    expect(checkAddress('http://127.0.0.1:8080/index.json', key)).toMatchObject({ ok: true });
    for (const bad of ['http://example.org/index.json', 'ftp://example.org/x', 'javascript:alert(1)', 'not a url'])
      expect(checkAddress(bad, key)).toMatchObject({ ok: false, error: expect.stringMatching(/https|URL/) });
    expect(checkAddress('https://user:pw@example.org/index.json', key)).toMatchObject({ ok: false });
  });

  it('refuses a malformed key with a clear message', () => {
    for (const bad of ['', 'abc', `${key}AAAA`, key.replace(/.$/, '!'), 'A'.repeat(44)])
      expect(checkAddress('https://example.org/index.json', bad)).toMatchObject({
        ok: false,
        error: expect.stringMatching(/public key is not valid: it must be the base64 of 32 bytes/),
      });
    expect(
      checkAddress('https://example.org/index.json', key.replace(/\+/g, '-').replace(/\//g, '_').replace(/=$/, '')),
    ).toEqual({
      ok: true,
      value: { url: 'https://example.org/index.json', key },
    });
  });

  it('is read from #subscribe=…&key=… with both parts URI-encoded', () => {
    const hash = `#subscribe=${encodeURIComponent('https://example.org/g/index.json?x=1&y=2')}&key=${encodeURIComponent(key)}`;
    expect(readSubscribeHash(hash)).toEqual({ url: 'https://example.org/g/index.json?x=1&y=2', key });
    expect(readSubscribeHash('#other=1')).toBeUndefined();
  });
});
