import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBots } from '../../bots/main';
import type { FakeTelegram } from '../fakes/telegram/server';
import { GROUP, runInProcess, startTelegramWorld, writeTelegramConfig } from '../telegram/harness';

vi.setConfig({ testTimeout: 60_000 });

// The real bot (runBots with TELEGRAM_BOT_TOKEN) against the fake Bot API: /digest preview in a
// group goes to the moderator's private chat, never to the group.
let tg: FakeTelegram;
let bots: RunningBots;
let dir: string;
const alice = { id: 42, is_bot: false, first_name: 'Alice', username: 'alice' }; // admin, has a private chat with the bot
const carol = { id: 43, is_bot: false, first_name: 'Carol', username: 'carol' }; // admin, never started the bot
const bob = { id: 77, is_bot: false, first_name: 'Bob', username: 'bob' }; // member

beforeAll(async () => {
  const world = await startTelegramWorld();
  tg = world.tg;
  dir = world.dir;
  tg.setMember(GROUP, alice.id, 'administrator');
  tg.setMember(GROUP, carol.id, 'administrator');
  tg.setMember(GROUP, bob.id, 'member');
  tg.addChat({ id: alice.id, type: 'private' });
  bots = await runInProcess(tg, world.db, writeTelegramConfig(dir, {}));
});
afterAll(async () => {
  await bots?.stop();
  await tg?.close();
  rmSync(dir, { recursive: true, force: true });
});

const groupReply = (after: number, match: RegExp) =>
  tg.waitFor(() =>
    tg
      .messages(GROUP)
      .slice(after)
      .find((m) => m.from.is_bot && match.test(m.text)),
  );

describe('/digest preview on Telegram', () => {
  it("sends the preview to the moderator's private chat and only says so in the group", async () => {
    const before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/digest preview');
    await groupReply(before, /^I sent you the answer in our private chat\.$/);
    const dm = await tg.waitFor(() => tg.messages(alice.id).find((m) => m.from.is_bot));
    expect(dm.text).toMatch(/^Next digest for “Science group”: due 08:00 \w+ \d+ \w+ \(UTC\), 0 stories so far/);
    expect(dm.text).toContain('No digest is set for this channel');
    expect(tg.messages(GROUP).some((m) => /Next digest/.test(m.text))).toBe(false);
  });

  it('tells a moderator who never started the bot how to get the preview, and refuses members', async () => {
    let before = tg.messages(GROUP).length;
    tg.say(GROUP, carol, '/digest preview');
    await groupReply(before, /^I cannot write to you privately yet: open a private chat with me, press Start/);
    before = tg.messages(GROUP).length;
    tg.say(GROUP, bob, '/digest preview');
    const refused = await groupReply(before, /./);
    expect(refused.text).not.toMatch(/Next digest|privately/);
  });
});
