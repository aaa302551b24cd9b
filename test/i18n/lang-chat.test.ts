import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandDeps } from '../../bots/platform/commands';
import { explainer } from '../../bots/platform/types';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { Store } from '../../bots/store/types';
import { createConsoleChat, type ConsoleChat } from '../support/console-chat';

const NOW = Date.UTC(2026, 11, 7, 5, 0, 0);
let dir: string;
let store: Store;
let chat: ConsoleChat;
const errors: string[] = [];

function deps(): CommandDeps {
  return {
    store,
    fetcher: { fetch: () => Promise.reject(new Error('no feed fetches in this test')) },
    parse: () => Promise.reject(new Error('no feed parsing in this test')),
    explain: explainer({}),
    log: {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: (obj: object) => void errors.push(JSON.stringify(obj)),
    },
    now: () => NOW,
    channelsChanged: async () => true,
  };
}

const text = async (user: string, line: string) => (await chat.say(user, line)).map((r) => r.text).join('\n');
const HAN = /\p{Script=Han}/u;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scipop-lang-'));
  store = createSqliteStore(join(dir, 'scipop.db'));
  await store.upsertChannel(
    { id: 'astro', sink: 'console', target: 'g', title: 'Astro', rules: {}, origin: 'chat' },
    NOW,
  );
  chat = createConsoleChat(deps(), { moderators: ['ada'], destinations: ['astro'] });
});

afterEach(async () => {
  await store.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('/lang: a channel’s own language', () => {
  it('shows and sets the language for moderators; the answer and every later reply speak it', async () => {
    expect(await text('ada', '/lang')).toBe('“Astro” speaks English.\nChange it with /lang en or /lang zh-Hans.');
    expect(await text('ada', '/lang fr')).toBe('`fr` is not a language SciPop speaks: use en or zh-Hans.');
    expect(await text('ada', '/lang zh-Hans')).toBe(
      'Astro 已改用简体中文：推送、术语解释和机器人回复都会随之改变。已立即生效。',
    );
    expect((await store.listChannels())[0]?.lang).toBe('zh-Hans');
    expect(await text('ada', '/lang')).toBe('“Astro”目前使用简体中文。\n可用 /lang en 或 /lang zh-Hans 更改。');
    expect(await text('ada', '/lang 英文')).toMatch(/^Astro now speaks English/);
    expect((await store.listChannels())[0]?.lang).toBe('en');
    expect(errors).toEqual([]);
  });

  it('refuses a member who is not a moderator, in the channel’s language, and changes nothing', async () => {
    await store.upsertChannel({ ...(await store.listChannels())[0]!, lang: 'zh-Hans' }, NOW);
    const refusal = await text('bob', '/lang en');
    expect(refusal).toMatch(HAN);
    expect((await store.listChannels())[0]?.lang).toBe('zh-Hans');
  });
});
