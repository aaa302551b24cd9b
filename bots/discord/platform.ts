import { Client, Events, GatewayIntentBits, REST, Routes, type RESTOptions } from 'discord.js';
import { explainTerm } from '../cli/glossary-read';
import type { Fetcher } from '../engine/fetch-types';
import type { EngineLogger, FeedParser } from '../engine/types';
import type { Coordinator } from '../engine/workers';
import type { LoadedPack } from '../../shared/glossary/load';
import { loadBundledPacks } from '../glossary/bundled';
import { importLegacyStateFile } from '../store/legacy-state';
import { platformStateFile } from '../store/open-store';
import type { Store } from '../store/types';
import { COMMANDS } from './commands';
import type { DiscordConfig } from './config';
import type { DiscordCommandDeps } from './context';
import { handleInteraction } from './interactions';
import { syncQueue } from './queue';
import { createDiscordSink, type DiscordSink } from './sink';
import { createDiscordState, readDiscordStateFile } from './state';

/** What the composition root gives the Discord platform. */
export interface DiscordPlatformOptions {
  /** The glossary in use (bundled and community), for /explain; the bundled packs when absent. */
  glossaryPacks?: () => readonly LoadedPack[] | undefined;
  token: string;
  /** DISCORD_API_BASE: the REST base without version (`https://discord.com/api` by default). */
  apiBase?: string;
  config: DiscordConfig;
  /** SCIPOP_DB, to find an old state file beside it (imported into the store once). */
  db: string;
  store: Store;
  fetcher: Pick<Fetcher, 'fetch'>;
  parse: FeedParser;
  log: EngineLogger;
  channelsChanged?: () => Promise<boolean>;
  now?: () => number;
  /**
   * Work sharing between workers on one store. With it, the gateway session (slash commands,
   * buttons) and the approval-queue sync run only while this worker holds the `discord-gateway`
   * role (Discord sends each interaction to every session of the bot), and the global REST budget
   * is split between the live workers. Without it, one process does everything.
   */
  coordinator?: Coordinator;
}

/** The role whose holder keeps the gateway session and shows the approval queue. */
export const GATEWAY_ROLE = 'discord-gateway';

/** The running Discord side: its sink for the engine, and the client that takes slash commands. */
export interface DiscordPlatform {
  sink: DiscordSink;
  /** The gateway client while this process is connected (null when another worker holds the gateway). */
  client(): Client | null;
  /**
   * Logs in to the gateway, registers the commands, starts showing the approval queue; with a
   * coordinator, asks for the gateway role and does so only while holding it.
   */
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
export function restOptions(
  config: Pick<DiscordConfig, 'maxRetryAfterSeconds'>,
  apiBase?: string,
): Partial<RESTOptions> {
  const maxWaitMs = config.maxRetryAfterSeconds * 1000;
  return {
    ...(apiBase ? { api: apiBase.replace(/\/+$/, '') } : {}),
    rejectOnRateLimit: (limit) => limit.retryAfter > maxWaitMs || limit.timeToReset > maxWaitMs,
  };
}

/**
 * Builds the REST manager posts, queue posts and command registration share (every worker posts
 * through REST), the sink and the handlers. The gateway client is made at each connect: a
 * discord.js Client cannot log in again once destroyed.
 */
export function createDiscordPlatform(options: DiscordPlatformOptions): DiscordPlatform {
  const { config, log, coordinator } = options;
  const rest = new REST(restOptions(config, options.apiBase)).setToken(options.token);
  // Discord's global limit (50 requests a second) is per bot, whatever the number of processes:
  // each keeps to its share. Per-route buckets need no sharing: one worker owns each destination.
  const globalPerSecond = rest.options.globalRequestsPerSecond;
  const share = (live: number) =>
    void ((rest.options as { globalRequestsPerSecond: number }).globalRequestsPerSecond = Math.max(
      1,
      Math.floor(globalPerSecond / Math.max(1, live)),
    ));
  if (coordinator) {
    share(coordinator.liveWorkers());
    coordinator.onLiveWorkers(share);
  }
  const ready = prepareState(options);
  const state = createDiscordState(options.store, ready);
  const sink = createDiscordSink({
    rest,
    state,
    store: options.store,
    config,
    log,
    ...(options.now ? { now: options.now } : {}),
  });
  let packs: ReturnType<typeof loadBundledPacks> | null = null;
  const deps: DiscordCommandDeps = {
    store: options.store,
    state,
    sink,
    config,
    fetcher: options.fetcher,
    parse: options.parse,
    explain: (term) => explainTerm(options.glossaryPacks?.() ?? (packs ??= loadBundledPacks()), term),
    download,
    log,
    ...(options.now ? { now: options.now } : {}),
    ...(options.channelsChanged ? { channelsChanged: options.channelsChanged } : {}),
  };

  let client: Client | null = null;
  const registered = new Set<string>();
  const register = async (applicationId: string, guildId: string) => {
    if (registered.has(guildId) || (config.guilds.length > 0 && !config.guilds.includes(guildId))) return;
    registered.add(guildId);
    try {
      await rest.put(Routes.applicationGuildCommands(applicationId, guildId), { body: COMMANDS });
      log.info({ guild: guildId, commands: COMMANDS.length }, 'Discord slash commands registered');
    } catch (error) {
      registered.delete(guildId);
      log.error(
        { guild: guildId, err: (error as Error).message },
        'could not register slash commands in this server (was the bot invited with the applications.commands scope?)',
      );
    }
  };

  let timer: NodeJS.Timeout | null = null;
  let syncing: Promise<number> | null = null;
  const sync = () =>
    (syncing ??= syncQueue(rest, deps)
      .catch((error) => {
        log.warn({ err: (error as Error).message }, 'could not show the approval queue in the moderators’ channel');
        return 0;
      })
      .finally(() => (syncing = null)));

  const connect = async () => {
    const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: restOptions(config, options.apiBase) });
    client = c;
    c.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, rest, deps));
    c.on(Events.GuildCreate, (guild) => void register(c.application!.id, guild.id));
    c.on(Events.Error, (error) => log.error({ err: error.message }, 'Discord client error'));
    const connected = new Promise<void>((resolve) => c.once(Events.ClientReady, () => resolve()));
    await c.login(options.token);
    await connected;
    if (client !== c) return; // disconnected meanwhile
    if (config.globalCommands) await rest.put(Routes.applicationCommands(c.application!.id), { body: COMMANDS });
    for (const id of config.guilds.length > 0 ? config.guilds : [...c.guilds.cache.keys()])
      await register(c.application!.id, id);
    timer = setInterval(() => void sync(), config.queueSyncSeconds * 1000);
    timer.unref();
    void sync();
    log.info({ bot: c.user?.tag, guilds: c.guilds.cache.size }, 'Discord bot connected to the gateway');
  };
  const disconnect = async () => {
    const c = client;
    client = null;
    if (timer) clearInterval(timer);
    timer = null;
    await syncing;
    registered.clear();
    await c?.destroy();
  };

  let stopped = false;
  let held = false;
  let retry: NodeJS.Timeout | null = null;
  // While the role is held, a failed connect is tried again: no other worker keeps the gateway.
  const connectWhileHeld = async () => {
    retry = null;
    if (stopped || !held || client) return;
    try {
      await connect();
    } catch (error) {
      await disconnect();
      log.error({ err: (error as Error).message }, 'could not connect to the Discord gateway; trying again in 10 s');
      if (!stopped && held) (retry = setTimeout(() => void connectWhileHeld(), 10_000)).unref();
    }
  };

  return {
    sink,
    client: () => client,
    syncQueue: sync,
    async start() {
      await ready;
      // A SQLite store has one process by definition: it keeps the gateway, as without workers.
      if (!coordinator || coordinator.single) return connect();
      coordinator.holdRole(GATEWAY_ROLE, {
        onGain: async () => {
          held = true;
          await connectWhileHeld();
        },
        onLose: async () => {
          held = false;
          if (retry) clearTimeout(retry);
          await disconnect();
        },
      });
      // Settle the role now, so a worker that gets it answers from the moment start() returns.
      await coordinator.round();
      if (!held)
        log.info(
          { worker: coordinator.worker.id },
          'Discord: another worker keeps the gateway; this one posts to its destinations',
        );
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await disconnect();
      await ready;
    },
  };
}

/** Imports an old state file (once); never fails the start. */
async function prepareState(options: DiscordPlatformOptions): Promise<void> {
  const { store, log } = options;
  try {
    const file = platformStateFile(options.db, 'discord', options.config.stateFile);
    await importLegacyStateFile({ store, platform: 'discord', file, read: readDiscordStateFile, log });
  } catch (error) {
    log.error({ err: (error as Error).message }, 'could not prepare the Discord state in the store');
  }
}
