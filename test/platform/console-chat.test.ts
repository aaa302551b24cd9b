import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDashboardAuth } from '../../bots/dashboard/sign-in';
import { createFetcher } from '../../bots/engine/fetcher';
import { parseFeedText } from '../../bots/engine/parse-feed';
import { CHAT_ACTIONS, CHAT_COMMANDS } from '../../bots/platform/command-set';
import { buttonData, type CommandDeps, type Reply } from '../../bots/platform/commands';
import { explainer } from '../../bots/platform/types';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { Store } from '../../bots/store/types';
import { createConsoleChat, type ConsoleChat } from '../support/console-chat';
import { rssFeed, startFeedServer } from '../support/feed-server';

const NOW = Date.UTC(2026, 11, 7, 5, 0, 0);
let dir: string;
let store: Store;
let errors: string[];
let chat: ConsoleChat;

function deps(): CommandDeps {
  const log = {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (obj: object) => void errors.push(JSON.stringify(obj)),
  };
  return {
    store,
    // None of the neutral commands fetches a feed; one that did would fail the test loudly.
    fetcher: { fetch: () => Promise.reject(new Error('no feed fetches in this test')) },
    parse: () => Promise.reject(new Error('no feed parsing in this test')),
    explain: explainer({}),
    log,
    now: () => NOW,
  };
}

const texts = (replies: { text: string }[]) => replies.map((r) => r.text);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scipop-console-'));
  store = createSqliteStore(join(dir, 'scipop.db'));
  errors = [];
  chat = createConsoleChat(deps(), { moderators: ['ada'], pausedPosts: 3 });
});

afterEach(async () => {
  await store.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('the console chat: a third adapter that gets every neutral command for free', () => {
  it('answers every neutral command, each with at least one reply', async () => {
    expect(chat.commands).toEqual(CHAT_COMMANDS.map((c) => c.name));
    for (const name of chat.commands) {
      const replies = await chat.say('ada', `/${name}`);
      expect(replies.length, `/${name}`).toBeGreaterThan(0);
      expect(replies[0]!.text, `/${name}`).not.toMatch(/Something went wrong/);
    }
    expect(errors).toEqual([]);
  });

  it('explains a term to everyone, and says which term it lacks', async () => {
    expect(texts(await chat.say('bob', '/explain exoplanet'))[0]).toMatch(/planet/i);
    expect(texts(await chat.say('bob', '/explain'))).toEqual(['Which term? For example /explain exoplanet']);
    expect(texts(await chat.say('bob', '/explain flibbertigibbet'))).toEqual([
      'I have no explanation for “flibbertigibbet” yet.',
    ]);
  });

  it('lists, pauses, resumes and removes sources for moderators only', async () => {
    expect(texts(await chat.say('ada', '/sources'))[0]).toMatch(/^No sources yet/);
    const a = await store.addSource(
      { url: 'https://a.example/feed', title: 'Alpha', tags: ['astronomy'], trusted: false },
      NOW,
    );
    await store.addSource({ url: 'https://b.example/feed', title: 'Beta', trusted: true }, NOW);
    const id = a.id.slice(-8);
    const [listed] = texts(await chat.say('ada', '/sources'));
    expect(listed).toContain(`\`${id}\` (needs approval) Alpha — https://a.example/feed [astronomy] new`);
    expect(listed).toMatch(/^The network has 2 sources:/);

    expect(texts(await chat.say('bob', `/pause ${id}`))).toEqual(['Only moderators can do this here.']);
    expect((await store.getSource(a.id))?.active).toBe(true);

    expect(texts(await chat.say('ada', `/pause ${id}`))).toEqual([
      `Paused “Alpha” for every channel. /resume ${id} undoes it.`,
    ]);
    expect(await store.getSource(a.id)).toMatchObject({ active: false, pausedReason: 'paused by ada in Console' });
    expect(texts(await chat.say('ada', `/resume ${id}`))).toEqual(['Resumed “Alpha”; it is fetched at the next tick.']);
    expect((await store.getSource(a.id))?.active).toBe(true);

    expect(texts(await chat.say('ada', '/remove zzzz'))).toEqual(['No source “zzzz” here. /sources lists them.']);
    expect(texts(await chat.say('ada', '/remove'))).toEqual([
      'Which source? Give its id (as /sources lists it) or its feed URL.',
    ]);
    expect(texts(await chat.say('ada', `/remove https://a.example/feed`))).toEqual([
      'Removed “Alpha” from the network (every channel).',
    ]);
    expect((await store.listSources()).map((s) => s.title)).toEqual(['Beta']);
  });

  it('resumes posting to the place itself when the platform had paused it, once', async () => {
    expect(texts(await chat.say('ada', '/resume'))).toEqual(['Posting here resumed; 3 waiting posts go out now.']);
    expect(texts(await chat.say('ada', '/resume'))).toEqual([
      'Posting here is not paused. To resume a source: /resume ID.',
    ]);
  });

  it('exports the sources as OPML and imports them into another store', async () => {
    await store.addSource({ url: 'https://a.example/feed', title: 'Alpha & Co', tags: ['biology'] }, NOW);
    const [exported] = await chat.say('ada', '/export');
    expect(exported!.text).toBe('1 source as OPML 2.0');
    expect(exported!.file?.name).toBe('scipop-sources.opml');
    const xml = new TextDecoder().decode(exported!.file!.data);
    expect(xml).toContain('xmlUrl="https://a.example/feed"');

    expect(texts(await chat.say('ada', '/import'))[0]).toMatch(/^Send the OPML file/);
    const other = createSqliteStore(join(dir, 'other.db'));
    const there = createConsoleChat({ ...deps(), store: other }, { moderators: ['ada'] });
    const [imported] = texts(await there.say('ada', '/import', { name: 'list.opml', text: xml }));
    expect(imported).toBe('Imported list.opml: 1 added, 0 updated, 0 unchanged.');
    expect((await other.listSources()).map((s) => [s.title, s.tags])).toEqual([['Alpha & Co', ['biology']]]);
    expect(texts(await there.say('ada', '/import', { name: 'bad.opml', text: '<html>no</html>' }))[0]).toMatch(
      /^Not imported: /,
    );
    await other.close();
  });

  it('reports the network’s status to its moderators only: sources, failures, outbox and queue', async () => {
    expect(texts(await chat.say('bob', '/status'))).toEqual(['Only moderators can do this here.']);
    const a = await store.addSource({ url: 'https://a.example/feed', title: 'Alpha' }, NOW);
    const b = await store.addSource({ url: 'https://b.example/feed', title: 'Beta' }, NOW);
    await store.addSource({ url: 'https://c.example/feed', title: 'Gamma' }, NOW);
    await store.saveFetchState(a.id, {
      etag: null,
      lastModified: null,
      nextFetchAt: NOW,
      lastFetchAt: NOW,
      lastSuccessAt: null,
      failures: 2,
      lastError: 'HTTP 500',
    });
    await store.pauseSource(b.id, 'too many failures', NOW);
    expect(texts(await chat.say('ada', '/status'))).toEqual([
      [
        'Sources: 2 active, 1 paused, 1 failing',
        '  • Alpha: HTTP 500 (×2)',
        'Outbox: 0 waiting, 0 sent, 0 failed; approval queue: 0',
        'This chat is not a SciPop destination.',
      ].join('\n'),
    ]);
    expect(errors).toEqual([]);
  });

  it('shows and changes the filters of the destination here, for moderators only', async () => {
    const none = texts(await chat.say('ada', '/filter'));
    expect(none).toEqual([
      'This chat is not a SciPop destination, so it has no filters. Destinations are set in the config file (channels: with sink: console and this chat’s id as target).',
    ]);
    await store.upsertChannel(
      { id: 'lab', sink: 'console', target: 'console', title: 'Lab', rules: {}, origin: 'chat' },
      NOW,
    );
    const lab = createConsoleChat(deps(), { moderators: ['ada'], destinations: ['lab'] });
    const rules = async () => (await store.listChannels()).find((c) => c.id === 'lab')!.rules;
    const hint =
      'Change with /filter include WORDS, /filter exclude WORDS, /filter include-regex RE, /filter exclude-regex RE, /filter remove KIND VALUE, /filter clear.';

    expect(texts(await lab.say('bob', '/filter exclude crypto'))).toEqual(['Only moderators can do this here.']);
    expect(await rules()).toEqual({});
    expect(texts(await lab.say('ada', '/filter'))).toEqual([
      [
        'Filters of Lab:',
        'include: —',
        'exclude: —',
        'include-regex: —',
        'exclude-regex: —',
        'approval: untrusted',
        '',
        hint,
      ].join('\n'),
    ]);

    // Telegram's words (`exclude crypto`) and Discord's options (`add exclude-regex …`) both read as a change.
    const [saved] = texts(await lab.say('ada', '/filter exclude crypto'));
    expect(saved).toContain('\nexclude: `crypto`\n');
    expect(saved).toMatch(/\n\nFilter saved; it applies from the next restart\.$/);
    expect(texts(await lab.say('ada', '/filter add exclude-regex ^\\d+ coins$'))[0]).toContain(
      'exclude-regex: `^\\d+ coins$`',
    );
    expect(await rules()).toMatchObject({ exclude: ['crypto'], excludeRegex: ['^\\d+ coins$'] });

    expect(texts(await lab.say('ada', '/filter include-regex (unclosed'))[0]).toMatch(/^Not saved: includeRegex\[0\]/);
    expect(texts(await lab.say('ada', '/filter remove exclude bitcoin'))).toEqual(['“bitcoin” is not in exclude.']);
    expect(texts(await lab.say('ada', '/filter crypto'))).toEqual([
      'Usage: /filter [include|exclude|include-regex|exclude-regex] VALUE, /filter remove KIND VALUE, or /filter clear',
    ]);
    expect(await rules()).toMatchObject({ include: [], includeRegex: [], exclude: ['crypto'] });

    expect(texts(await lab.say('ada', '/filter remove exclude crypto'))[0]).toContain('\nexclude: —\n');
    expect(texts(await lab.say('ada', '/filter clear'))[0]).toContain('\nexclude-regex: —\n');
    expect(await rules()).toMatchObject({ include: [], exclude: [], includeRegex: [], excludeRegex: [] });
    expect(errors).toEqual([]);
  });

  it('says a filter applies at once when the engine reloads, and that a config file’s destination needs it there too', async () => {
    await store.upsertChannel(
      { id: 'lab', sink: 'console', target: 'console', title: 'Lab', rules: {}, origin: 'config' },
      NOW,
    );
    const live = createConsoleChat(
      { ...deps(), channelsChanged: () => Promise.resolve(true) },
      {
        moderators: ['ada'],
        destinations: ['lab'],
      },
    );
    expect(texts(await live.say('ada', '/filter include exoplanet'))[0]).toMatch(
      /\n\nFilter in effect now\. This destination comes from the config file, which is re-applied at every start: copy the filter there to keep it\.$/,
    );
  });

  it('takes a filter from a private chat for the destination named first', async () => {
    await store.upsertChannel(
      { id: 'lab', sink: 'console', target: 'console', title: 'Lab', rules: {}, origin: 'chat' },
      NOW,
    );
    await store.upsertChannel({ id: 'tg-x', sink: 'telegram', target: '-100', title: 'Elsewhere', rules: {} }, NOW);
    const dm = createConsoleChat(deps(), { moderators: ['ada'], private: true });
    // Only this platform's destinations are named.
    expect(texts(await dm.say('ada', '/filter exclude crypto'))).toEqual([
      'In a private chat, name the destination first: /filter lab [change]',
    ]);
    expect(texts(await dm.say('ada', '/filter lab exclude part 8'))[0]).toMatch(
      /^Filters of Lab:\n(.*\n)*exclude: `part 8`\n/,
    );
    expect((await store.listChannels()).map((c) => [c.id, c.rules])).toEqual([
      ['lab', expect.objectContaining({ exclude: ['part 8'] })],
      ['tg-x', {}],
    ]);
  });

  it('reports the status of the destination here', async () => {
    await store.upsertChannel(
      { id: 'lab', sink: 'console', target: 'console', title: 'Lab', rules: {}, origin: 'chat' },
      NOW,
    );
    const lab = createConsoleChat(deps(), { moderators: ['ada'], destinations: ['lab'] });
    const [status] = texts(await lab.say('ada', '/status'));
    expect(status).toContain('\nApproval queue here: 0\nThis chat receives: Lab');
  });

  it('adds a feed after checking it, for moderators only, and says where it goes', async () => {
    const feeds = await startFeedServer();
    try {
      const serve = (path: string, type: string, body: string) =>
        feeds.route(path, (_req, res) => {
          res.writeHead(200, { 'content-type': type });
          res.end(body);
        });
      const rss = (title: string) =>
        rssFeed(title, [
          { title: 'One', link: 'https://example.org/1' },
          { title: 'Two', link: 'https://example.org/2' },
        ]);
      serve('/alpha.xml', 'application/rss+xml', rss('Alpha Journal'));
      serve('/beta.xml', 'application/rss+xml', rss('Beta Letters'));
      serve('/page.html', 'text/html', '<!doctype html><html><body>Not a feed</body></html>');
      await store.upsertChannel(
        { id: 'lab', sink: 'console', target: 'console', title: 'Lab', rules: { tags: ['biology'] }, origin: 'chat' },
        NOW,
      );
      // The poller's own fetcher and parser, on the local feed server.
      const fetching = { ...deps(), fetcher: createFetcher({ allowPrivateNetworks: true }), parse: parseFeedText };
      const net = createConsoleChat(fetching, { moderators: ['ada'] });
      const lab = createConsoleChat(fetching, { moderators: ['ada'], destinations: ['lab'] });

      expect(texts(await net.say('bob', `/add ${feeds.url('/alpha.xml')}`))).toEqual([
        'Only moderators can do this here.',
      ]);
      expect(texts(await net.say('ada', '/add'))).toEqual([
        'Give the http(s) URL of an RSS, Atom, RDF or JSON feed, e.g. /add https://www.nasa.gov/feed/ astronomy',
      ]);
      expect(texts(await net.say('ada', `/add ${feeds.url('/page.html')}`))[0]).toMatch(
        /^Not added\. That is not a feed I can read: /,
      );
      expect(await store.listSources()).toEqual([]);

      const [added] = texts(await net.say('ada', `/add ${feeds.url('/alpha.xml')} Astronomy, #physics`));
      const alpha = (await store.getSource(feeds.url('/alpha.xml')))!;
      expect(alpha).toMatchObject({ title: 'Alpha Journal', tags: ['astronomy', 'physics'], trusted: true });
      expect(added).toBe(`Added “Alpha Journal” (2 items now; new ones will be posted). Id: \`${alpha.id.slice(-8)}\``);
      expect(texts(await net.say('ada', `/add ${feeds.url('/alpha.xml')}`))).toEqual([
        `“Alpha Journal” is already a source (\`${alpha.id.slice(-8)}\`). /sources lists them.`,
      ]);

      // In a destination, the source goes to it.
      expect(texts(await lab.say('ada', `/add ${feeds.url('/beta.xml')}`))[0]).toMatch(
        /^Added “Beta Letters” \(2 items now; new ones will be posted\)\. Id: `\w+`\nThis chat now receives it too\.$/,
      );
      expect(texts(await lab.say('ada', `/add ${feeds.url('/alpha.xml')}`))).toEqual([
        `“Alpha Journal” is already a source (\`${alpha.id.slice(-8)}\`).\nThis chat now receives it too.`,
      ]);
      const subscribed = await store.listSubscriptions({ channelId: 'lab' });
      expect(subscribed).toHaveLength(2);
      expect(errors).toEqual([]);
    } finally {
      await feeds.close();
    }
  });

  /** Items of one source, each held for approval in `channel`; returns their deliveries, oldest first. */
  async function held(channel: string, titles: readonly string[]) {
    const source = await store.addSource({ url: `https://${channel}.example/feed`, title: channel }, NOW);
    const state = {
      etag: null,
      lastModified: null,
      nextFetchAt: NOW,
      lastFetchAt: NOW,
      lastSuccessAt: NOW,
      failures: 0,
      lastError: null,
    };
    const items = titles.map((title, i) => ({
      key: `${channel}-${i}`,
      title,
      link: `https://${channel}.example/${i}`,
      publishedAt: NOW,
      data: {},
      deliveries: [
        {
          channelId: channel,
          status: 'held' as const,
          message: { title, source: { title: channel }, summary: `Summary of ${title}.`, terms: [], hashtags: [] },
        },
      ],
    }));
    await store.commitFetch(source.id, state, items, NOW);
    return store.heldDeliveries(channel, 100);
  }

  const labels = (reply: Reply) => reply.buttons?.flat().map((b) => b.label);
  const button = (reply: Reply, label: string) => reply.buttons!.flat().find((b) => b.label === label)!;

  it('gets /queue and its Approve / Reject buttons for free: the post’s channel moderators decide, once', async () => {
    for (const id of ['lab', 'other'])
      await store.upsertChannel({ id, sink: 'console', target: id, title: id, rules: {}, origin: 'chat' }, NOW);
    const rows = await held('lab', ['Comet seen', 'Quasar found']);
    await held('other', ['Not for the lab']);
    const lab = createConsoleChat(deps(), { moderators: ['ada'], destinations: ['lab'] });

    expect(lab.commands).toContain('queue');
    expect(texts(await lab.say('bob', '/queue'))).toEqual(['Only moderators can do this here.']);
    const listed = await lab.say('ada', '/queue');
    expect(texts(listed)).toEqual([
      '2 posts wait for approval:',
      'Comet seen\n\nSummary of Comet seen.',
      'Quasar found\n\nSummary of Quasar found.',
    ]);
    expect(labels(listed[1]!)).toEqual(['✅ Approve', '🗑 Reject', '✏️ Edit summary']);
    // The same data Telegram and Discord buttons carry (`q:a:ID`), so buttons already in chats keep working.
    expect(buttonData(button(listed[1]!, '✅ Approve'), CHAT_ACTIONS)).toBe(`q:a:${rows[0]!.id}`);

    // Someone who moderates no channel of the post cannot decide on it, whatever the button says.
    expect(texts(await lab.press('bob', button(listed[1]!, '✅ Approve')))).toEqual([
      'Only this post’s channel moderators can decide on it.',
    ]);
    expect((await store.getDelivery(rows[0]!.id))!.status).toBe('held');

    expect(texts(await lab.press('ada', button(listed[1]!, '✅ Approve')))).toEqual(['✅ Approved by ada']);
    expect(await store.getDelivery(rows[0]!.id)).toMatchObject({ status: 'pending', decidedBy: 'console:ada' });
    expect(texts(await lab.press('ada', button(listed[1]!, '🗑 Reject')))).toEqual(['Already decided.']);
    expect(texts(await lab.press('ada', button(listed[2]!, '🗑 Reject')))).toEqual(['🗑 Rejected by ada']);
    expect(texts(await lab.press('ada', button(listed[2]!, '✅ Approve')))).toEqual(['Already rejected.']);
    expect(texts(await lab.say('ada', '/queue'))).toEqual(['The approval queue is empty.']);
    expect((await store.getDelivery((await store.heldDeliveries('other', 10))[0]!.id))!.status).toBe('held');
    expect(errors).toEqual([]);
  });

  it('edits a held post’s summary through a question answered by reply, then shows the post as it will appear', async () => {
    await store.upsertChannel(
      { id: 'lab', sink: 'console', target: 'lab', title: 'Lab', rules: {}, origin: 'chat' },
      NOW,
    );
    const [row] = await held('lab', ['Comet seen']);
    const lab = createConsoleChat(deps(), { moderators: ['ada'], destinations: ['lab'] });
    const [, item] = await lab.say('ada', '/queue');

    const [question] = await lab.press('ada', button(item!, '✏️ Edit summary'));
    expect(question).toEqual({
      text: `Reply to this message with the new summary (plain text) of post ${row!.id}.`,
      ask: true,
    });
    expect(texts(await lab.answer('bob', question!, 'Bob’s words.'))).toEqual(['Only moderators can do this here.']);
    expect(await store.editedSummary(row!.id)).toBeUndefined();

    const shown = await lab.answer('ada', question!, '  A comet, seen.  ');
    expect(texts(shown)).toEqual(['Summary updated. The post as it will appear:', 'Comet seen\n\nA comet, seen.']);
    expect(labels(shown[1]!)).toEqual(['✅ Approve', '🗑 Reject', '✏️ Edit summary']);
    expect(await store.editedSummary(row!.id)).toBe('A comet, seen.');

    await store.decideDelivery(row!.id, 'reject', 'telegram:42', NOW);
    expect(texts(await lab.answer('ada', question!, 'Too late.'))).toEqual(['That post is no longer in the queue.']);
    expect(await store.editedSummary(row!.id)).toBe('A comet, seen.');
  });

  it('counts every held post but shows the oldest 10', async () => {
    await store.upsertChannel(
      { id: 'lab', sink: 'console', target: 'lab', title: 'Lab', rules: {}, origin: 'chat' },
      NOW,
    );
    await held(
      'lab',
      Array.from({ length: 12 }, (_, i) => `Item ${i + 1}`),
    );
    const lab = createConsoleChat(deps(), { moderators: ['ada'], destinations: ['lab'] });
    const listed = texts(await lab.say('ada', '/queue'));
    expect(listed[0]).toBe('12 posts wait for approval; the oldest 10:');
    expect(listed.slice(1).map((t) => t.split('\n')[0])).toEqual(Array.from({ length: 10 }, (_, i) => `Item ${i + 1}`));
  });

  it('answers a failure (the store gone) and logs it, never leaving the member waiting', async () => {
    await store.close();
    expect(texts(await chat.say('ada', '/sources'))).toEqual([
      'Something went wrong on our side; it was logged. Try again in a moment.',
    ]);
    expect(errors.join('\n')).toContain('"command":"sources"');
  });
});

describe('/dashboard through the console chat', () => {
  it('says how to turn the dashboard on, and gives the link as a private reply, once usable', async () => {
    expect(texts(await chat.say('ada', '/dashboard'))[0]).toMatch(/^The dashboard is not served on this network yet/);
    expect(texts(await chat.say('bea', '/dashboard'))).toEqual(['Only moderators can do this here.']);
    const dashboard = createDashboardAuth({
      store,
      baseUrl: 'https://scipop.example.org',
      sessionMs: 3_600_000,
      now: () => NOW,
    });
    const group = createConsoleChat({ ...deps(), dashboard }, { moderators: ['ada'] });
    // In a group the link is a private reply: the platform's adapter sends it where only the
    // moderator sees it (Telegram: their private chat with the bot; Discord: an ephemeral answer).
    const inGroup = await group.say('ada', '/dashboard');
    expect(inGroup.map((r) => [r.privately, /^Your dashboard sign-in link/.test(r.text)])).toEqual([[true, true]]);
    const dm = createConsoleChat({ ...deps(), dashboard }, { moderators: ['ada'], private: true });
    const [reply] = texts(await dm.say('ada', '/dashboard'));
    const link = /(https:\/\/scipop\.example\.org\/dashboard\/sign-in\?t=\S+)$/.exec(reply!)?.[1];
    expect(reply).toMatch(
      /^Your dashboard sign-in link for every channel \(you are a network operator\)\. It works once, for 10 minutes/,
    );
    const token = new URL(link!).searchParams.get('t')!;
    const used = await dashboard.redeem(token);
    expect(used?.grant).toEqual({ platform: 'console', userId: 'ada', name: 'ada', operator: true, channelIds: [] });
    expect(await dashboard.session(used!.session)).toMatchObject({ grant: used!.grant });
    expect(await dashboard.redeem(token)).toBeNull();
  });
});
