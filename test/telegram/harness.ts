import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseEnv } from '../../bots/config/env';
import { runBots, type RunningBots } from '../../bots/main';
import type { FloodLimits } from '../fakes/telegram/limits';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/server';
import type { TestFeedItem } from '../support/feed-server';

/**
 * Telegram's limits with every window scaled down 100×, on both sides (the fake enforces them,
 * the bot keeps to them), so a 500-post burst runs in seconds with the same shape as in production.
 */
export const FAST_LIMITS: FloodLimits = {
  global: { count: 30, windowMs: 10 },
  group: { count: 20, windowMs: 600 },
  chat: { count: 1, windowMs: 10 },
};

/** A group destination the tests post into. */
export const GROUP = -1001234567890;

/** Items `from..to` of a test feed (newest first, as feeds list them) with titles that need escaping. */
export function items(prefix: string, from: number, to: number): TestFeedItem[] {
  return Array.from({ length: to - from + 1 }, (_, k) => {
    const i = to - k;
    return {
      title: `${prefix} #${i}: is 2 < 3 & "water" > ice?`,
      link: `https://news.example/${prefix}/${i}?a=1&b=2`,
      guid: `${prefix}-${i}`,
      date: new Date(Date.UTC(2026, 10, 29, 0, 0, i)),
      description: `<p>Telescope data on the exoplanet &amp; its <b>atmosphere</b> (${i}).</p>`,
    };
  });
}

/** Writes a run config with one Telegram destination and the fast limits. */
export function writeTelegramConfig(
  dir: string,
  extra: {
    moderators?: number[];
    firstFetchPosts?: number;
    seedOpml?: string | null;
    approval?: 'untrusted' | 'all' | 'none';
    /** Poll every source this often (seconds), for tests that wait for new items. */
    intervalSeconds?: number;
    channels?: { id: string; target: string; title?: string; lang?: 'en' | 'zh-Hans' }[];
    channelLinkPreviews?: Record<string, boolean>;
  } = {},
): string {
  const file = join(dir, 'config.yaml');
  const interval =
    extra.intervalSeconds === undefined
      ? {}
      : { defaultIntervalMinutes: extra.intervalSeconds / 60, minIntervalMinutes: extra.intervalSeconds / 60 };
  const channels = extra.channels ?? [{ id: 'tg-main', target: String(GROUP), title: 'Science group' }];
  writeFileSync(
    file,
    stringify({
      sources: {
        seedOpml: extra.seedOpml ?? null,
        firstFetchPosts: extra.firstFetchPosts ?? 1000,
        jitter: 0,
        ...interval,
      },
      delivery: { inDoubt: 'resend' },
      telegram: {
        moderators: extra.moderators ?? [],
        limits: FAST_LIMITS,
        adminCacheSeconds: 60,
        channelLinkPreviews: extra.channelLinkPreviews ?? {},
      },
      channels: channels.map((c) => ({
        sink: 'telegram',
        title: c.title ?? c.id,
        ...c,
        rules: { approval: extra.approval ?? 'untrusted' },
      })),
    }),
  );
  return file;
}

/** A fake Telegram with the destination group, and a temp dir for the store. */
export async function startTelegramWorld(): Promise<{ tg: FakeTelegram; dir: string; db: string }> {
  const tg = await startFakeTelegram({ limits: FAST_LIMITS });
  tg.addChat({ id: GROUP, type: 'supergroup', title: 'Science group' });
  const dir = mkdtempSync(join(tmpdir(), 'scipop-tg-'));
  return { tg, dir, db: join(dir, 'scipop.db') };
}

/** The environment `npm start` would see, pointed at the fake. */
export function telegramEnv(tg: FakeTelegram, db: string): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    SCIPOP_DB: db,
    SCIPOP_ALLOW_PRIVATE_NETWORKS: '1',
    SCIPOP_LOG_LEVEL: process.env.TG_TEST_LOG ?? 'warn',
  };
}

/** Runs the real composition root in this process (as `scipop run` does). */
export function runInProcess(
  tg: FakeTelegram,
  db: string,
  config: string,
  once = false,
  env: Record<string, string> = {},
): Promise<RunningBots> {
  return runBots({ config, once, env: parseEnv({ ...telegramEnv(tg, db), ...env }) });
}
