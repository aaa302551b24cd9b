import { mkdirSync } from 'node:fs';
import { platformStateFile } from '../store/open-store';
import http from 'node:http';
import { dirname } from 'node:path';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { Bot, webhookCallback } from 'grammy';
import { z } from 'zod';
import { explainTerm } from '../cli/glossary-read';
import type { Fetcher } from '../engine/fetch-types';
import type { EngineLogger, FeedParser } from '../engine/types';
import { loadBundledPacks } from '../glossary/bundled';
import type { Store } from '../store/types';
import { installSendPolicy } from './api';
import { COMMANDS, registerHandlers } from './bot';
import { createSendLimiter, SendLimitsSchema } from './limiter';
import { createModeratorCheck } from './moderators';
import { createTelegramSink, type TelegramSink } from './sink';
import { openTelegramState } from './state';

/** The `telegram:` section of the config file. */
export const TelegramConfigSchema = z
  .object({
    /** Telegram user ids that moderate every destination (and hear notices in private chat). */
    moderators: z.array(z.number().int()).default([]),
    /** Link previews under text posts, by default and per channel id. */
    linkPreviews: z.boolean().default(false),
    channelLinkPreviews: z.record(z.string(), z.boolean()).default({}),
    /** How long an answer of getChatMember is trusted. */
    adminCacheSeconds: z.number().positive().default(300),
    limits: SendLimitsSchema.prefault({}),
    /** A 429 asking to wait longer than this goes back to the outbox instead of blocking. */
    maxRetryAfterSeconds: z.number().int().positive().default(120),
    /** Receive updates by webhook instead of long polling. */
    webhook: z.object({ url: z.url(), port: z.number().int().min(1).max(65535), secretToken: z.string().optional() }).strict().optional(),
    /** The Telegram state file (send journal, paused destinations); default beside SCIPOP_DB. */
    stateFile: z.string().optional(),
  })
  .strict();
/** See {@link TelegramConfigSchema}. */
export type TelegramConfig = z.infer<typeof TelegramConfigSchema>;

/** What the composition root gives the Telegram platform. */
export interface TelegramPlatformOptions {
  token: string;
  apiRoot?: string;
  config: TelegramConfig;
  /** SCIPOP_DB, to put the state file beside it. */
  db: string;
  store: Store;
  fetcher: Pick<Fetcher, 'fetch'>;
  parse: FeedParser;
  log: EngineLogger;
  channelsChanged?: () => Promise<boolean>;
}

/** The running Telegram side: its sink for the engine, and the bot that takes commands. */
export interface TelegramPlatform {
  sink: TelegramSink;
  bot: Bot;
  /** Registers the commands and starts taking updates (long polling, or the webhook). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the bot, its API policy (limits, auto-retry), the sink and the command handlers. */
export function createTelegramPlatform(options: TelegramPlatformOptions): TelegramPlatform {
  const { config, log } = options;
  const apiRoot = options.apiRoot ?? 'https://api.telegram.org';
  const bot = new Bot(options.token, { client: { apiRoot } });
  installSendPolicy(bot.api, createSendLimiter(config.limits), config.maxRetryAfterSeconds);
  const stateFile = platformStateFile(options.db, 'telegram', options.config.stateFile);
  if (stateFile !== ':memory:') mkdirSync(dirname(stateFile), { recursive: true });
  const state = openTelegramState(stateFile);
  const sink = createTelegramSink({
    api: bot.api,
    state,
    store: options.store,
    log,
    moderatorIds: config.moderators,
    linkPreview: (channelId) => config.channelLinkPreviews[channelId] ?? config.linkPreviews,
  });
  let packs: ReturnType<typeof loadBundledPacks> | null = null;
  registerHandlers(bot, {
    store: options.store,
    state,
    sink,
    moderators: createModeratorCheck(bot.api, config.moderators, config.adminCacheSeconds * 1000),
    fetcher: options.fetcher,
    parse: options.parse,
    explain: (term) => explainTerm((packs ??= loadBundledPacks()), term),
    download: async (filePath) => {
      const res = await fetch(`${apiRoot}/file/bot${options.token}/${filePath}`);
      if (!res.ok) throw new Error(`Telegram file download failed: HTTP ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    },
    log,
    ...(options.channelsChanged ? { channelsChanged: options.channelsChanged } : {}),
  });

  let runner: RunnerHandle | null = null;
  let server: http.Server | null = null;
  const allowed_updates = ['message', 'channel_post', 'callback_query', 'my_chat_member'] as const;
  return {
    sink,
    bot,
    async start() {
      await bot.init();
      await bot.api.setMyCommands(COMMANDS.map((c) => ({ command: c.command, description: c.description })));
      if (config.webhook) {
        const hook = config.webhook;
        await bot.api.setWebhook(hook.url, { allowed_updates: [...allowed_updates], ...(hook.secretToken ? { secret_token: hook.secretToken } : {}) });
        server = http.createServer(webhookCallback(bot, 'http', hook.secretToken ? { secretToken: hook.secretToken } : {}));
        await new Promise<void>((resolve) => server!.listen(hook.port, resolve));
        log.info({ bot: bot.botInfo.username, port: hook.port }, 'Telegram bot receiving updates by webhook');
        return;
      }
      await bot.api.deleteWebhook();
      runner = run(bot, { runner: { fetch: { allowed_updates: [...allowed_updates] } } });
      log.info({ bot: bot.botInfo.username }, 'Telegram bot receiving updates by long polling');
    },
    async stop() {
      if (runner?.isRunning()) await runner.stop();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      state.close();
    },
  };
}
