import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import {
  createPublishedFolder,
  servePublishedFolder,
  testEntry,
  type PublishedFolder,
  type PublishedServer,
} from '../../test/support/published-glossary';
import { createCommunityAsker } from './ask';
import { createSubscriptionStore, type SubscriptionStore } from './store';
import { createSubscriptionUpdater } from './updater';

let folder: PublishedFolder;
let server: PublishedServer;
let store: SubscriptionStore;

beforeEach(async () => {
  fakeBrowser.reset();
  folder = createPublishedFolder('Askable');
  server = await servePublishedFolder(folder.dir);
  store = createSubscriptionStore(fakeBrowser.storage);
});

afterEach(async () => {
  await server.close();
  folder.remove();
});

const subscribe = async (ask?: string) => {
  folder.publish({ entries: new Map([['en', [testEntry('alpha-star')]]]), ask });
  await store.add({ url: server.indexUrl, key: folder.key.publicKey }, 1);
  await createSubscriptionUpdater({ store }).check(server.indexUrl);
};

describe('asking the community', () => {
  it('is offered only where a subscribed index has an ask path', async () => {
    const asker = createCommunityAsker({ store });
    expect(await asker.offer()).toBeNull();
    await subscribe();
    expect(await asker.offer()).toBeNull();
    expect(await asker.ask('dark flow', 'en', true)).toMatchObject({ sent: false });
    expect(server.asked).toEqual([]);
  });

  it('sends the words and their language only once the reader said yes, and remembers the yes', async () => {
    await subscribe('ask');
    const asker = createCommunityAsker({ store });
    expect(await asker.offer()).toEqual({ community: 'Askable', consent: false });
    expect(await asker.ask('dark flow', 'en')).toMatchObject({ sent: false, error: expect.stringMatching(/agreed/) });
    expect(server.asked).toEqual([]);
    expect(await asker.ask('  dark\n flow ', 'en', true)).toEqual({ sent: true, community: 'Askable' });
    expect(server.asked).toEqual([{ text: 'dark flow', lang: 'en' }]);
    expect(await asker.offer()).toEqual({ community: 'Askable', consent: true });
    expect(await asker.ask('暗流', 'zh')).toEqual({ sent: true, community: 'Askable' });
    expect(server.asked).toHaveLength(2);
  });

  it('refuses more than a few words, and says when the server fails', async () => {
    await subscribe('ask');
    const asker = createCommunityAsker({ store });
    expect(await asker.ask('one two three four five six seven', 'en', true)).toMatchObject({
      sent: false,
      error: 'select at most 6 words',
    });
    server.down = true;
    expect(await asker.ask('dark flow', 'en', true)).toMatchObject({ sent: false, error: 'the server answered 503' });
    expect(server.asked).toEqual([]);
  });
});
