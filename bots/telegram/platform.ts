import http from 'node:http';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { Bot, webhookCallback } from 'grammy';
import { z } from 'zod';
import { explainTerm } from '../cli/glossary-read';
import type { Fetcher } from '../engine/fetch-types';
import type { EngineLogger, FeedParser } from '../engine/types';
import type { Coordinator } from '../engine/workers';
import type { LoadedPack } from '../../shared/glossary/load';
import { loadBundledPacks } from '../glossary/bundled';
import { importLegacyStateFile } from '../store/legacy-state';
import { platformStateFile } from '../store/open-store';
import type { Store } from '../store/types';
import { installSendPolicy } from './api';
import { COMMANDS, registerHandlers } from './bot';
import { createSendLimiter, SendLimitsSchema } from './limiter';
import { createModeratorCheck } from './moderators';
import { createTelegramSink, type TelegramSink } from './sink';
import { createTelegramState, JOURNAL_DAYS, readTelegramStateFile } from './state';

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
    webhook: z
      .object({ url: z.url(), port: z.number().int().min(1).max(65535), secretToken: z.string().optional() })
      .strict()
      .optional(),
    /**
     * Where earlier versions of SciPop kept the Telegram state (send journal, paused destinations);
     * default beside SCIPOP_DB. Now read once, on start, into the store (which keeps it since).
     */
    stateFile: z.string().optional(),
  })
  .strict();
/** See {@link TelegramConfigSchema}. */
export type TelegramConfig = z.infer<typeof TelegramConfigSchema>;

/** What the composition root gives the Telegram platform. */
export interface TelegramPlatformOptions {
  /** The glossary in use (bundled and community), for /explain; the bundled packs when absent. */
  glossaryPacks?: () => readonly LoadedPack[] | undefined;
  token: string;
  apiRoot?: string;
  config: TelegramConfig;
  /** SCIPOP_DB, to find an old state file beside it (imported into the store once). */
  db: string;
  store: Store;
  fetcher: Pick<Fetcher, 'fetch'>;
  parse: FeedParser;
  log: EngineLogger;
  channelsChanged?: () => Promise<boolean>;
  /**
   * Work sharing between workers on one store. With it, updates are taken only while this worker
   * holds the `telegram-updates` role (Telegram allows one long poll per token), and the global
   * send budget is split between the live workers. Without it, one process does everything.
   */
  coordinator?: Coordinator;
}

/** The role whose holder takes Telegram's updates. */
export const UPDATES_ROLE = 'telegram-updates';

/** The running Telegram side: its sink for the engine, and the bot that takes commands. */
export interface TelegramPlatform {
  sink: TelegramSink;
  bot: Bot;
  /**
   * Registers the commands and starts taking updates (long polling, or the webhook); with a
   * coordinator, asks for the updates role and does so only while holding it.
   */
  start(): Promise<void>;
  /** Whether this process takes updates right now. */
  receiving(): boolean;
  stop(): Promise<void>;
}

/** Builds the bot, its API policy (limits, auto-retry), the sink and the command handlers. */
export function createTelegramPlatform(options: TelegramPlatformOptions): TelegramPlatform {
  const { config, log } = options;
  const apiRoot = options.apiRoot ?? 'https://api.telegram.org';
  const bot = new Bot(options.token, { client: { apiRoot } });
  const limiter = createSendLimiter(config.limits);
  installSendPolicy(bot.api, limiter, config.maxRetryAfterSeconds);
  const { coordinator } = options;
  if (coordinator) {
    limiter.share(coordinator.liveWorkers());
    coordinator.onLiveWorkers((live) => limiter.share(live));
  }
  const ready = prepareState(options);
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
  let packs: ReturnType<typeof loadBundledPacks> | null = null;
  registerHandlers(bot, {
    store: options.store,
    state,
    sink,
    moderators: createModeratorCheck(bot.api, config.moderators, config.adminCacheSeconds * 1000),
    fetcher: options.fetcher,
    parse: options.parse,
    explain: (term) => explainTerm(options.glossaryPacks?.() ?? (packs ??= loadBundledPacks()), term),
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

  const receive = async () => {
    await bot.api.setMyCommands(COMMANDS.map((c) => ({ command: c.command, description: c.description })));
    if (config.webhook) {
      const hook = config.webhook;
      await bot.api.setWebhook(hook.url, {
        allowed_updates: [...allowed_updates],
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
    const started = run(bot, { runner: { fetch: { allowed_updates: [...allowed_updates] } } });
    runner = started;
    // The runner gives up on a 409 (another getUpdates with this token: a worker whose role lapsed
    // meanwhile, or another bot instance): say so, and poll again while the role is still ours.
    void started.task()?.catch((error: Error) => {
      if (runner !== started) return;
      runner = null;
      log.error(
        { err: error.message },
        'Telegram long polling stopped (is another instance polling with this token?); trying again in 10 s',
      );
      retryLater();
    });
    log.info({ bot: bot.botInfo.username }, 'Telegram bot receiving updates by long polling');
  };
  // Updates a stopped runner fetched but had not handled yet are fetched again by the next taker
  // (the offset moves only with the next getUpdates), so handing the role over loses none; the
  // runner asks for the next batch as soon as it has one, so at most a batch in that instant is
  // handled by both.
  const stopReceiving = async () => {
    const r = runner;
    const s = server;
    runner = null;
    server = null;
    if (r?.isRunning()) await r.stop();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  let stopped = false;
  let held = false;
  let retry: NodeJS.Timeout | null = null;
  const retryLater = () => {
    if (!stopped && held && !retry) (retry = setTimeout(() => void receiveWhileHeld(), 10_000)).unref();
  };
  // While the role is held, a failed start (Telegram unreachable, the webhook port taken) is tried
  // again: no other worker takes updates while this one holds the role.
  const receiveWhileHeld = async () => {
    retry = null;
    if (stopped || !held || runner || server) return;
    try {
      await receive();
    } catch (error) {
      await stopReceiving();
      log.error({ err: (error as Error).message }, 'could not start taking Telegram updates; trying again in 10 s');
      retryLater();
    }
  };
  return {
    sink,
    bot,
    receiving: () => runner?.isRunning() === true || server !== null,
    async start() {
      await ready;
      await bot.init();
      // A SQLite store has one process by definition: it takes updates, as without workers.
      if (!coordinator || coordinator.single) {
        held = true;
        return receive();
      }
      coordinator.holdRole(UPDATES_ROLE, {
        onGain: async () => {
          held = true;
          await receiveWhileHeld();
        },
        onLose: async () => {
          held = false;
          if (retry) clearTimeout(retry);
          retry = null;
          await stopReceiving();
        },
      });
      // Settle the role now, so a worker that gets it answers from the moment start() returns.
      await coordinator.round();
      if (!held)
        log.info(
          { bot: bot.botInfo.username, worker: coordinator.worker.id },
          'Telegram: another worker takes the updates; this one posts to its destinations',
        );
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await stopReceiving();
      await ready;
    },
  };
}

/** Imports an old state file (once) and forgets journal entries past their time; never fails the start. */
async function prepareState(options: TelegramPlatformOptions): Promise<void> {
  const { store, log } = options;
  try {
    const file = platformStateFile(options.db, 'telegram', options.config.stateFile);
    await importLegacyStateFile({ store, platform: 'telegram', file, read: readTelegramStateFile, log });
    await store.pruneJournal(Date.now() - JOURNAL_DAYS * 86_400_000);
  } catch (error) {
    log.error({ err: (error as Error).message }, 'could not prepare the Telegram state in the store');
  }
}
