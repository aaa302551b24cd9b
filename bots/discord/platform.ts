import { mkdirSync } from 'node:fs';
import { platformStateFile } from '../store/open-store';
import { dirname } from 'node:path';
import { Client, Events, GatewayIntentBits, Routes, type RESTOptions } from 'discord.js';
import { explainTerm } from '../cli/glossary-read';
import type { Fetcher } from '../engine/fetch-types';
import type { EngineLogger, FeedParser } from '../engine/types';
import { loadBundledPacks } from '../glossary/bundled';
import type { Store } from '../store/types';
import { COMMANDS } from './commands';
import type { DiscordConfig } from './config';
import type { DiscordCommandDeps } from './context';
import { handleInteraction } from './interactions';
import { syncQueue } from './queue';
import { createDiscordSink, type DiscordSink } from './sink';
import { openDiscordState } from './state';

/** What the composition root gives the Discord platform. */
export interface DiscordPlatformOptions {
  token: string;
  /** DISCORD_API_BASE: the REST base without version (`https://discord.com/api` by default). */
  apiBase?: string;
  config: DiscordConfig;
  /** SCIPOP_DB, to put the state file beside it. */
  db: string;
  store: Store;
  fetcher: Pick<Fetcher, 'fetch'>;
  parse: FeedParser;
  log: EngineLogger;
  channelsChanged?: () => Promise<boolean>;
  now?: () => number;
}

/** The running Discord side: its sink for the engine, and the client that takes slash commands. */
export interface DiscordPlatform {
  sink: DiscordSink;
  client: Client;
  /** Logs in to the gateway, registers the commands, starts showing the approval queue. */
  start(): Promise<void>;
  /** Posts held items not yet shown to the moderators' channel. */
  syncQueue(): Promise<number>;
  stop(): Promise<void>;
}

/** Reads an attachment the member uploaded: at most 1 MB, as text. */
async function download(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  if (!res.ok) throw new Error(`attachment download failed: HTTP ${res.status}`);
  const body = await res.arrayBuffer();
  if (body.byteLength > 1_000_000) throw new Error('attachment over 1 MB');
  return new TextDecoder().decode(body);
}

/**
 * The REST manager's options: the API base (DISCORD_API_BASE), and which rate limits it waits out
 * itself (per-route buckets, the global limit, 429 retry_after) and which it hands back to the
 * outbox as an error: a wait longer than maxRetryAfterSeconds.
 */
export function restOptions(config: Pick<DiscordConfig, 'maxRetryAfterSeconds'>, apiBase?: string): Partial<RESTOptions> {
  const maxWaitMs = config.maxRetryAfterSeconds * 1000;
  return {
    ...(apiBase ? { api: apiBase.replace(/\/+$/, '') } : {}),
    rejectOnRateLimit: (limit) => limit.retryAfter > maxWaitMs || limit.timeToReset > maxWaitMs,
  };
}

/** Builds the client (one REST manager for posts and commands), the sink and the handlers. */
export function createDiscordPlatform(options: DiscordPlatformOptions): DiscordPlatform {
  const { config, log } = options;
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: restOptions(config, options.apiBase) });
  client.rest.setToken(options.token);
  const stateFile = platformStateFile(options.db, 'discord', options.config.stateFile);
  if (stateFile !== ':memory:') mkdirSync(dirname(stateFile), { recursive: true });
  const state = openDiscordState(stateFile);
  const sink = createDiscordSink({ rest: client.rest, state, store: options.store, config, log, ...(options.now ? { now: options.now } : {}) });
  let packs: ReturnType<typeof loadBundledPacks> | null = null;
  const deps: DiscordCommandDeps = {
    store: options.store,
    state,
    sink,
    config,
    fetcher: options.fetcher,
    parse: options.parse,
    explain: (term) => explainTerm((packs ??= loadBundledPacks()), term),
    download,
    log,
    ...(options.now ? { now: options.now } : {}),
    ...(options.channelsChanged ? { channelsChanged: options.channelsChanged } : {}),
  };

  const registered = new Set<string>();
  const register = async (guildId: string) => {
    if (registered.has(guildId) || (config.guilds.length > 0 && !config.guilds.includes(guildId))) return;
    registered.add(guildId);
    try {
      await client.rest.put(Routes.applicationGuildCommands(client.application!.id, guildId), { body: COMMANDS });
      log.info({ guild: guildId, commands: COMMANDS.length }, 'Discord slash commands registered');
    } catch (error) {
      registered.delete(guildId);
      log.error({ guild: guildId, err: (error as Error).message }, 'could not register slash commands in this server (was the bot invited with the applications.commands scope?)');
    }
  };

  let timer: NodeJS.Timeout | null = null;
  let syncing: Promise<number> | null = null;
  const sync = () =>
    (syncing ??= syncQueue(client.rest, deps)
      .catch((error) => {
        log.warn({ err: (error as Error).message }, 'could not show the approval queue in the moderators’ channel');
        return 0;
      })
      .finally(() => (syncing = null)));

  return {
    sink,
    client,
    syncQueue: sync,
    async start() {
      client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, client.rest, deps));
      client.on(Events.GuildCreate, (guild) => void register(guild.id));
      client.on(Events.Error, (error) => log.error({ err: error.message }, 'Discord client error'));
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
      if (config.globalCommands) await client.rest.put(Routes.applicationCommands(client.application!.id), { body: COMMANDS });
      for (const id of config.guilds.length > 0 ? config.guilds : [...client.guilds.cache.keys()]) await register(id);
      timer = setInterval(() => void sync(), config.queueSyncSeconds * 1000);
      timer.unref();
      void sync();
      log.info({ bot: client.user?.tag, guilds: client.guilds.cache.size }, 'Discord bot connected to the gateway');
    },
    async stop() {
      if (timer) clearInterval(timer);
      await syncing;
      await client.destroy();
      state.close();
    },
  };
}
