import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBots } from '../../bots/main';
import type { FakeTelegram } from '../fakes/telegram/server';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { GROUP, runInProcess, startTelegramWorld, writeTelegramConfig } from '../telegram/harness';

vi.setConfig({ testTimeout: 60_000 });

/**
 * The real bots against the fake Bot API: one group speaks Chinese (`lang: zh-Hans`), another
 * English. The same story reaches both; each post and every reply is in the group's language.
 */
const ENGLISH = -1009876543210;
const HAN = /\p{Script=Han}/u;
let tg: FakeTelegram;
let feeds: FeedServer;
let bots: RunningBots;
let dir: string;
const alice = { id: 42, is_bot: false, first_name: 'Alice', username: 'alice', language_code: 'en' }; // admin of both
const bob = { id: 77, is_bot: false, first_name: 'Bob', username: 'bob' }; // member
const olga = { id: 5, is_bot: false, first_name: 'Olga', username: 'olga' }; // network operator

beforeAll(async () => {
  const world = await startTelegramWorld();
  tg = world.tg;
  dir = world.dir;
  tg.addChat({ id: ENGLISH, type: 'supergroup', title: 'Science (English)' });
  for (const chat of [GROUP, ENGLISH]) {
    tg.setMember(chat, alice.id, 'administrator');
    tg.setMember(chat, bob.id, 'member');
    tg.setMember(chat, olga.id, 'member');
  }
  feeds = await startFeedServer();
  feeds.route('/space.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(
      rssFeed('Space desk', [
        {
          title: 'Webb studies an exoplanet',
          link: 'https://news.example/webb',
          guid: 'webb-1',
          date: new Date(Date.UTC(2026, 11, 7, 1)),
          description: 'Astronomers used spectroscopy to read the air of an exoplanet.',
        },
      ]),
    );
  });
  const config = writeTelegramConfig(dir, {
    moderators: [olga.id],
    approval: 'none',
    channels: [
      { id: 'tg-zh', target: String(GROUP), title: '科学群', lang: 'zh-Hans' },
      { id: 'tg-en', target: String(ENGLISH), title: 'Science (English)' },
    ],
  });
  bots = await runInProcess(tg, world.db, config);
});
afterAll(async () => {
  await bots?.stop();
  await tg?.close();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The first message in `chat` after `count` that matches, or a failure naming what the chat shows. */
const replyAfter = (chat: number, count: number, match: RegExp) =>
  tg
    .waitFor(() =>
      tg
        .messages(chat)
        .slice(count)
        .find((m) => match.test(m.text)),
    )
    .catch((error: Error) => {
      throw new Error(
        `${error.message}; the chat shows: ${JSON.stringify(
          tg
            .messages(chat)
            .slice(count)
            .map((m) => m.text),
        )}`,
      );
    });

describe('a Chinese group and an English one', () => {
  it('answers an operator’s /add in each group’s language, and posts the story to both', async () => {
    const zhBefore = tg.messages(GROUP).length;
    const enBefore = tg.messages(ENGLISH).length;
    tg.say(GROUP, olga, `/add ${feeds.url('/space.xml')} astronomy`);
    const added = await replyAfter(GROUP, zhBefore, /^已添加“Space desk”/);
    expect(added.text).toMatch(/^已添加“Space desk”（目前有 1 条内容，之后的新内容会推送）。Id：/);
    // The Chinese post: Chinese fixed words and the Chinese entry; the English one only where none exists, saying so.
    const zh = await replyAfter(GROUP, zhBefore, /^Webb studies an exoplanet/);
    expect(zh.text).toContain('\n术语解释\n');
    expect(zh.text).toMatch(/• 系外行星 — [^\n]*\p{Script=Han}/u);
    expect(zh.text).not.toContain('Key terms');
    const fallbacks = zh.text.split('\n').filter((l) => l.includes('（暂无中文词条，此为英文解释）'));
    for (const line of fallbacks) expect(line).not.toMatch(/^• \p{Script=Han}/u);
    // The English post is as it always was.
    const en = await replyAfter(ENGLISH, enBefore, /^Webb studies an exoplanet/);
    expect(en.text).toContain('\nKey terms\n');
    expect(en.text).toMatch(/• exoplanet — /);
    expect(en.text).not.toMatch(HAN);
  });

  it('answers every command in the Chinese group in Chinese, and in the English group in English', async () => {
    const ask = async (chat: number, user: typeof alice | typeof bob, line: string) => {
      const before = tg.messages(chat).length;
      tg.say(chat, user, line);
      return (await replyAfter(chat, before, /./)).text;
    };
    expect(await ask(GROUP, alice, '/sources')).toMatch(/^本群订阅了 1 个源：\n/);
    expect(await ask(ENGLISH, alice, '/sources')).toMatch(/^This chat receives 1 source:\n/);
    expect(await ask(GROUP, alice, '/explain exoplanet')).toMatch(/^系外行星 · 难度 2（进阶）/);
    expect(await ask(ENGLISH, alice, '/explain exoplanet')).toMatch(/^exoplanet /);
    expect(await ask(GROUP, alice, '/explain flibbertigibbet')).toBe('词库里还没有“flibbertigibbet”的解释。');
    expect(await ask(GROUP, bob, '/add https://example.org/feed')).toBe(
      '抱歉，只有本群管理员和 SciPop 版主才能修改订阅源、过滤规则和审核队列。/explain 术语 所有人都能用。',
    );
    expect(await ask(GROUP, alice, '/status')).toMatch(/^订阅源（本群使用的）：1 个正常/);
    expect(await ask(GROUP, alice, '/help')).toMatch(/^SciPop 推送精选科学新闻，并解释其中的专业术语。/);
    expect(await ask(ENGLISH, alice, '/help')).toMatch(/^SciPop posts curated science news/);
    for (const line of ['/filter', '/lang', '/digest preview', '/dashboard', '/resume', '/explain'])
      expect(await ask(GROUP, alice, line), line).toMatch(HAN);
  });

  it('switches the English group to Chinese with /lang, and only its moderators can', async () => {
    const before = tg.messages(ENGLISH).length;
    tg.say(ENGLISH, bob, '/lang zh-Hans');
    await replyAfter(ENGLISH, before, /^Sorry, only/);
    tg.say(ENGLISH, alice, '/lang zh-Hans');
    expect((await replyAfter(ENGLISH, before, /已改用/)).text).toBe(
      'Science (English) 已改用简体中文：推送、术语解释和机器人回复都会随之改变。已立即生效。这个推送目标来自配置文件：只有当配置文件里的 lang 改动时，才会再次以文件为准。',
    );
    expect((await bots.store.listChannels()).find((c) => c.id === 'tg-en')?.lang).toBe('zh-Hans');
  });

  it('makes a group /subscribe-d by an operator whose Telegram speaks Chinese a Chinese destination', async () => {
    const LAB = -701;
    tg.addChat({ id: LAB, type: 'group', title: '实验室' });
    tg.setMember(LAB, olga.id, 'member');
    const olgaZh = { ...olga, language_code: 'zh-hans' };
    const before = tg.messages(LAB).length;
    tg.say(LAB, olgaZh, '/subscribe all astronomy');
    expect((await replyAfter(LAB, before, /^本群现在会收到/)).text).toBe(
      '本群现在会收到带有 astronomy 标签的订阅源的新内容。每条推送都要先经过审核。已立即生效。',
    );
    expect((await bots.store.listChannels()).find((c) => c.target === String(LAB))).toMatchObject({
      lang: 'zh-Hans',
      origin: 'chat',
      rules: { tags: ['astronomy'], approval: 'all' },
    });
    // Answers there stay Chinese whoever asks (the destination's language, not the member's).
    tg.say(LAB, olga, '/unsubscribe');
    expect((await replyAfter(LAB, before, /不再接收推送/)).text).toBe(
      '本群不再接收推送，已在排队的推送也不会再发。已立即生效。',
    );
    expect((await bots.store.listChannels()).some((c) => c.target === String(LAB))).toBe(false);
  });
});
