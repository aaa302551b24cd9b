import { Client, Events, GatewayIntentBits, REST, Routes, type RESTOptions } from 'discord.js';
import { errorMessage } from '../../shared/errors';
import { createLifecycle, deadline } from '../platform/lifecycle';
import { explainer, lifecycleControls, prepareState, type ChatPlatform, type PlatformOptions } from '../platform/types';
import { COMMANDS } from './commands';
import type { DiscordConfig } from './config';
import type { DiscordCommandDeps } from './context';
import { handleInteraction } from './interactions';
import { syncQueue } from './queue';
import { createDiscordSink, type DiscordSink } from './sink';
import { createDiscordState, readDiscordStateFile } from './state';

/** What the composition root gives the Discord platform. */
export interface DiscordPlatformOptions extends PlatformOptions {
  token: string;
  /** DISCORD_API_BASE: the REST base without version (`https://discord.com/api` by default). */
  apiBase?: string;
  config: DiscordConfig;
}

/** How long a gateway login may take before it counts as failed (and is retried). */
const CONNECT_TIMEOUT_MS = 30_000;
/** The longest wait between two tries to register the slash commands in a server. */
const REGISTER_RETRY_MAX_MS = 5 * 60_000;

/** The role whose holder keeps the gateway session and shows the approval queue. */
export const GATEWAY_ROLE = 'discord-gateway';

/** The running Discord side: its sink for the engine, and the client that takes slash commands. */
export interface DiscordPlatform extends ChatPlatform {
  sink: DiscordSink;
  /** The gateway client while this process is connected (null when another worker holds the gateway). */
  client(): Client | null;
  /** Posts held items not yet shown to the moderators' channel. */
  syncQueue(): Promise<number>;
}

/** Reads an attachment the member uploaded: at most 1 MB, as text. */
async function download(fetch: typeof globalThis.fetch, url: string): Promise<string> {
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
  // discord.js counts its share in fixed one-second windows of its own, which no other process
  // shares: any second may overlap two of them, so each process keeps to half its share.
  const globalPerSecond = rest.options.globalRequestsPerSecond;
  const share = (live: number) =>
    void ((rest.options as { globalRequestsPerSecond: number }).globalRequestsPerSecond = Math.max(
      1,
      Math.floor(globalPerSecond / 2 / Math.max(1, live)),
    ));
  if (coordinator) {
    share(coordinator.liveWorkers());
    coordinator.onLiveWorkers(share);
  }
  const fetch = options.fetch ?? globalThis.fetch;
  const ready = prepareState(options, 'discord', { stateFile: config.stateFile, read: readDiscordStateFile });
  const state = createDiscordState(options.store, ready);
  const sink = createDiscordSink({
    rest,
    state,
    store: options.store,
    config,
    log,
    ...(options.now ? { now: options.now } : {}),
  });
  const deps: DiscordCommandDeps = {
    store: options.store,
    state,
    sink,
    config,
    fetcher: options.fetcher,
    parse: options.parse,
    explain: explainer(options),
    ...(options.term ? { term: options.term } : {}),
    ...(options.dashboard ? { dashboard: options.dashboard } : {}),
    download: (url) => download(fetch, url),
    log,
    ...(options.now ? { now: options.now } : {}),
    ...(options.channelsChanged ? { channelsChanged: options.channelsChanged } : {}),
  };

  let client: Client | null = null;
  const registered = new Set<string>();
  const retries = new Set<NodeJS.Timeout>();
  // A refusal (403: the bot lacks the applications.commands scope) waits for the next join or
  // reconnect; a 5xx or a network failure is tried again with backoff while connected.
  const register = async (applicationId: string, guildId: string, attempt = 0): Promise<void> => {
    if (attempt === 0 && (registered.has(guildId) || (config.guilds.length > 0 && !config.guilds.includes(guildId))))
      return;
    registered.add(guildId);
    try {
      await rest.put(Routes.applicationGuildCommands(applicationId, guildId), { body: COMMANDS });
      log.info({ guild: guildId, commands: COMMANDS.length }, 'Discord slash commands registered');
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) {
        registered.delete(guildId);
        return void log.error(
          { guild: guildId, err: errorMessage(error) },
          'could not register slash commands in this server (was the bot invited with the applications.commands scope?)',
        );
      }
      const waitMs = Math.min(REGISTER_RETRY_MAX_MS, 1000 * 2 ** attempt);
      log.warn(
        { guild: guildId, err: errorMessage(error) },
        `could not register slash commands in this server; trying again in ${waitMs / 1000} s`,
      );
      const retry = setTimeout(() => {
        retries.delete(retry);
        if (client) void register(applicationId, guildId, attempt + 1);
      }, waitMs);
      retry.unref();
      retries.add(retry);
    }
  };

  let timer: NodeJS.Timeout | null = null;
  let syncing: Promise<number> | null = null;
  const sync = () =>
    (syncing ??= syncQueue(rest, deps)
      .catch((error) => {
        log.warn({ err: errorMessage(error) }, 'could not show the approval queue in the moderators’ channel');
        return 0;
      })
      .finally(() => (syncing = null)));
  deps.syncQueue = sync;

  const connect = async () => {
    const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: restOptions(config, options.apiBase) });
    client = c;
    c.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, rest, deps));
    c.on(Events.GuildCreate, (guild) => void register(c.application!.id, guild.id));
    c.on(Events.Error, (error) => log.error({ err: error.message }, 'Discord client error'));
    const connected = new Promise<void>((resolve) => c.once(Events.ClientReady, () => resolve()));
    await deadline(
      Promise.all([c.login(options.token), connected]),
      CONNECT_TIMEOUT_MS,
      `the gateway did not get ready within ${CONNECT_TIMEOUT_MS / 1000} s`,
    );
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
    for (const retry of retries) clearTimeout(retry);
    retries.clear();
    await syncing;
    registered.clear();
    await c?.destroy();
  };

  const lifecycle = createLifecycle({
    name: 'Discord',
    role: GATEWAY_ROLE,
    coordinator,
    log,
    connect,
    disconnect,
    failure: 'could not connect to the Discord gateway',
    standby: 'Discord: another worker keeps the gateway; this one posts to its destinations',
  });
  return {
    name: 'discord',
    sink,
    client: () => client,
    syncQueue: sync,
    afterCycle: sync,
    ...lifecycleControls(lifecycle, ready),
  };
}
