import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandDeps } from '../../bots/platform/commands';
import { explainer } from '../../bots/platform/types';
import { fetchedAt } from '../../bots/store/harness';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { Store } from '../../bots/store/types';
import { buildMessage } from '../../shared/message/build';
import { bundledGlossary } from '../../bots/glossary/bundled';
import { createConsoleChat } from '../support/console-chat';

// /digest preview through the console chat (the neutral command seam), over a real SQLite store.
const NOW = Date.parse('2026-12-07T03:00:00Z'); // 11:00 in Shanghai: the next digest is tomorrow 08:00
let dir: string;
let store: Store;

const deps = (): CommandDeps => ({
  store,
  fetcher: { fetch: () => Promise.reject(new Error('no fetches')) },
  parse: () => Promise.reject(new Error('no parsing')),
  explain: explainer({}),
  log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  now: () => NOW,
});

const glossary = bundledGlossary();

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scipop-digest-chat-'));
  store = createSqliteStore(join(dir, 'scipop.db'));
  const source = await store.addSource({ url: 'https://a.example/feed', title: 'Space desk', tags: ['astronomy'] }, 0);
  await store.upsertChannel(
    { id: 'daily', sink: 'telegram', target: '-100', title: 'Daily', rules: {}, digest: { timezone: 'Asia/Shanghai' } },
    0,
  );
  await store.upsertChannel({ id: 'plain', sink: 'telegram', target: '-200', title: 'Plain', rules: {} }, 0);
  const stories = [
    ['Webb finds water on exoplanet K2-18b', 'https://a.example/1'],
    ['CRISPR trial cures sickle cell disease', 'https://a.example/2'],
  ];
  await store.commitFetch(
    source.id,
    fetchedAt(NOW - 3_600_000),
    stories.map(([title, link]) => ({
      key: link!,
      title: title!,
      link: link!,
      publishedAt: NOW - 3_600_000,
      data: {},
      deliveries: ['daily', 'plain'].map((channelId) => ({
        channelId,
        status: channelId === 'daily' ? ('digest' as const) : ('pending' as const),
        message: buildMessage(
          { title: title!, link: link!, summary: title! },
          { title: 'Space desk', tags: ['astronomy'] },
          { glossary },
        ),
      })),
    })),
    NOW - 3_600_000,
  );
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('/digest preview', () => {
  it("shows a moderator this chat's next digest as it stands, privately", async () => {
    const chat = createConsoleChat(deps(), { moderators: ['ada'], destinations: ['daily'] });
    const [reply, ...more] = await chat.say('ada', '/digest preview');
    expect(more).toEqual([]);
    expect(reply!.privately).toBe(true);
    const lines = reply!.text.split('\n');
    expect(lines[0]).toBe(
      'Next digest for “Daily”: due 08:00 Tuesday 8 December (Asia/Shanghai), 2 stories so far, 1 message.',
    );
    expect(lines.slice(2, 4)).toEqual(['Science digest · Tuesday 8 December 2026', 'Daily · 2 stories from 1 source']);
    expect(reply!.text).toMatch(/\n1\. .* — Space desk <https:\/\/a\.example\/\d>\n {3}\S/);
    // A preview writes nothing: the digest is still to come.
    expect(await store.lastDigest('daily')).toBeUndefined();
    expect(await store.pendingDeliveries(NOW, 100)).toHaveLength(2); // the plain channel's live posts only
  });

  it('shows a channel without digest settings with the defaults, saying so', async () => {
    const chat = createConsoleChat(deps(), { moderators: ['ada'], destinations: ['plain'] });
    const [reply] = await chat.say('ada', '/digest preview');
    expect(reply!.text).toContain('No digest is set for this channel');
    expect(reply!.text).toContain('(UTC)');
  });

  it('lets an operator name the channel from elsewhere, and refuses members', async () => {
    const chat = createConsoleChat(deps(), { moderators: ['ada'], private: true });
    expect((await chat.say('ada', '/digest preview'))[0]!.text).toMatch(
      /^No channel posts into this chat: .*\/digest preview CHANNEL-ID/,
    );
    expect((await chat.say('ada', '/digest preview daily'))[0]!.text).toMatch(/^Next digest for “Daily”/);
    expect((await chat.say('ada', '/digest preview nope'))[0]!.text).toBe('No channel `nope` that you manage.');
    const refused = await chat.say('bob', '/digest preview daily');
    expect(refused[0]!.text).not.toMatch(/Next digest/);
  });
});
