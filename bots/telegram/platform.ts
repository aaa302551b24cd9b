import http from 'node:http';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { Bot, webhookCallback } from 'grammy';
import { errorMessage } from '../../shared/errors';
import { createLifecycle } from '../platform/lifecycle';
import { explainer, lifecycleControls, prepareState, type ChatPlatform, type PlatformOptions } from '../platform/types';
import { installSendPolicy } from './api';
import { COMMANDS, commandsIn, registerHandlers } from './bot';
import type { TelegramConfig } from './config';
import { createSendLimiter } from './limiter';
import { createModeratorCheck } from './moderators';
import { createTelegramSink, type TelegramSink } from './sink';
import { createTelegramState, JOURNAL_DAYS, readTelegramStateFile } from './state';

export { TelegramConfigSchema, type TelegramConfig } from './config';

/** What the composition root gives the Telegram platform. */
export interface TelegramPlatformOptions extends PlatformOptions {
  token: string;
  apiRoot?: string;
  config: TelegramConfig;
}

/** The role whose holder takes Telegram's updates (Telegram allows one long poll per token). */
export const UPDATES_ROLE = 'telegram-updates';

/** The running Telegram side: its sink for the engine, and the bot that takes commands. */
export interface TelegramPlatform extends ChatPlatform {
  sink: TelegramSink;
  bot: Bot;
  /** Whether this process takes updates right now. */
  receiving(): boolean;
}

const ALLOWED_UPDATES = ['message', 'channel_post', 'callback_query', 'my_chat_member'] as const;

/** Builds the bot, its API policy (limits, auto-retry), the sink and the command handlers. */
export function createTelegramPlatform(options: TelegramPlatformOptions): TelegramPlatform {
  const { config, log, coordinator } = options;
  const now = options.now ?? Date.now;
  const fetch = options.fetch ?? globalThis.fetch;
  const apiRoot = options.apiRoot ?? 'https://api.telegram.org';
  const bot = new Bot(options.token, { client: { apiRoot, fetch } });
  const limiter = createSendLimiter(config.limits);
  installSendPolicy(bot.api, limiter, config.maxRetryAfterSeconds);
  if (coordinator) {
    limiter.share(coordinator.liveWorkers());
    coordinator.onLiveWorkers((live) => limiter.share(live));
  }
  const ready = prepareState(options, 'telegram', {
    stateFile: config.stateFile,
    read: readTelegramStateFile,
    prune: (store) => store.pruneJournal(now() - JOURNAL_DAYS * 86_400_000),
  });
  const state = createTelegramState(options.store, ready);
  const sink = createTelegramSink({
    api: bot.api,
    state,
    store: options.store,
    log,
    moderatorIds: config.moderators,
    linkPreview: (channelId) => config.channelLinkPreviews[channelId] ?? config.linkPreviews,
    handOff: { limiter, windowMs: Math.max(config.limits.chat.windowMs, config.limits.group.windowMs) },
  });
  registerHandlers(bot, {
    store: options.store,
    fetcher: options.fetcher,
    parse: options.parse,
    explain: explainer(options),
    ...(options.term ? { term: options.term } : {}),
    ...(options.dashboard ? { dashboard: options.dashboard } : {}),
    log,
    ...(options.channelsChanged ? { channelsChanged: options.channelsChanged } : {}),
    state,
    sink,
    moderators: createModeratorCheck(bot.api, config.moderators, config.adminCacheSeconds * 1000),
    download: async (filePath) => {
      const res = await fetch(`${apiRoot}/file/bot${options.token}/${filePath}`);
      if (!res.ok) throw new Error(`Telegram file download failed: HTTP ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    },
    now,
  });

  let runner: RunnerHandle | null = null;
  let server: http.Server | null = null;
  const connect = async () => {
    if (!bot.isInited()) await bot.init();
    await bot.api.setMyCommands(COMMANDS);
    // Members whose Telegram speaks Chinese see the menu in Chinese.
    await bot.api.setMyCommands(commandsIn('zh-Hans'), { language_code: 'zh' });
    if (config.webhook) {
      const hook = config.webhook;
      await bot.api.setWebhook(hook.url, {
        allowed_updates: [...ALLOWED_UPDATES],
        ...(hook.secretToken ? { secret_token: hook.secretToken } : {}),
      });
      const listening = http.createServer(
        webhookCallback(bot, 'http', hook.secretToken ? { secretToken: hook.secretToken } : {}),
      );
      await new Promise<void>((resolve, reject) => listening.once('error', reject).listen(hook.port, resolve));
      server = listening;
      log.info({ bot: bot.botInfo.username, port: hook.port }, 'Telegram bot receiving updates by webhook');
      return;
    }
    await bot.api.deleteWebhook();
    const started = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
    runner = started;
    // The runner gives up on a 409 (another getUpdates with this token: a worker whose role lapsed
    // meanwhile, or another bot instance): say so, and poll again while the role is still ours.
    void started.task()?.catch((error: unknown) => {
      if (runner !== started) return;
      runner = null;
      lifecycle.lost(
        new Error(`long polling stopped (is another instance polling with this token?): ${errorMessage(error)}`),
      );
    });
    log.info({ bot: bot.botInfo.username }, 'Telegram bot receiving updates by long polling');
  };
  // Updates a stopped runner fetched but had not handled yet are fetched again by the next taker
  // (the offset moves only with the next getUpdates), so handing the role over loses none; the
  // runner asks for the next batch as soon as it has one, so at most a batch in that instant is
  // handled by both.
  const disconnect = async () => {
    const r = runner;
    const s = server;
    runner = null;
    server = null;
    if (r?.isRunning()) await r.stop();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  const lifecycle = createLifecycle({
    name: 'Telegram',
    role: UPDATES_ROLE,
    coordinator,
    log,
    connect,
    disconnect,
    failure: 'could not start taking Telegram updates',
    standby: 'Telegram: another worker takes the updates; this one posts to its destinations',
  });
  return {
    name: 'telegram',
    sink,
    bot,
    receiving: () => runner?.isRunning() === true || server !== null,
    ...lifecycleControls(lifecycle, ready),
  };
}
