/**
 * The composition root of the bots: the one place that builds the real store, fetcher, sinks,
 * glossary, clock, logger and ops server, and wires them into the engine. Everything else takes
 * them as parameters.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { compileMatcher } from '../shared/matcher';
import { createTermGlossary, type TermGlossary } from '../shared/message/terms';
import { loadConfig, type Config } from './config/config';
import { parseEnv, type Env } from './config/env';
import { createEngine, type CycleReport, type Engine } from './engine/engine';
import type { FetchRequestOptions } from './engine/fetch-types';
import { createFetcher } from './engine/fetcher';
import { startOpsServer, type OpsServer } from './engine/http-server';
import { createLogger } from './engine/logger';
import { createEngineMetrics } from './engine/metrics';
import { createCoordinator, newWorkerIdentity } from './engine/workers';
import { parseFeedText } from './engine/parse-feed';
import { createConsoleSink } from './engine/sinks/console-sink';
import type { Sink } from './engine/sinks/types';
import type { EngineDeps, EngineSettings } from './engine/types';
import { loadBundledPacks } from './glossary/bundled';
import { startGlossary } from './glossary/run';
import { seedSources } from './sources/catalog';
import { isPostgresUrl, openStore } from './store/open-store';
import { createTelegramPlatform, type TelegramPlatform } from './telegram/platform';
import { createDiscordPlatform, type DiscordPlatform } from './discord/platform';
import type { Store } from './store/types';

/** This SciPop's version, as `scipop workers` shows it for each worker (a rolling upgrade mixes them). */
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** How `scipop run` was invoked. */
export interface RunOptions {
  config?: string;
  once?: boolean;
  dryRun?: boolean;
  env?: Env;
  /** Platform sinks by name, added by the Telegram and Discord issues when their tokens are set. */
  platformSinks?: (env: Env) => Promise<Sink[]>;
}

/** The engine settings a config file gives. */
export function engineSettings(config: Config): EngineSettings {
  const { sources, fetch, delivery } = config;
  return {
    schedule: {
      defaultIntervalMinutes: sources.defaultIntervalMinutes,
      minIntervalMinutes: sources.minIntervalMinutes,
      maxIntervalMinutes: sources.maxIntervalMinutes,
      jitter: sources.jitter,
      maxBackoffMinutes: sources.maxBackoffMinutes,
      pauseAfterFailures: sources.pauseAfterFailures,
    },
    firstFetchPosts: sources.firstFetchPosts,
    maxTerms: delivery.maxTerms,
    concurrency: fetch.concurrency,
    channelConcurrency: delivery.channelConcurrency,
    maxAttempts: delivery.maxAttempts,
    inDoubt: delivery.inDoubt,
    leaseMs: config.workers.leaseSeconds * 1000,
    forgetItemsAfterMs: sources.forgetItemsAfterDays * 86_400_000,
  };
}

/** The bundled glossary, compiled once, as posts use it. */
export function bundledGlossary(): TermGlossary {
  const packs = loadBundledPacks().map((p) => p.pack);
  return createTermGlossary(compileMatcher(packs), packs);
}

/**
 * `--dry-run` works on a snapshot: the SQLite file is copied (VACUUM INTO, consistent under WAL)
 * to a temporary file, so a dry run shows exactly what a real run would post and changes nothing.
 */
function snapshotDb(db: string): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'scipop-dry-run-'));
  const path = join(dir, 'snapshot.db');
  if (existsSync(db)) {
    const source = new Database(db, { readonly: true, fileMustExist: true });
    try {
      source.prepare('VACUUM INTO ?').run(path);
    } finally {
      source.close();
    }
  }
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `after-send:N` → a hook that SIGKILLs this process right after the Nth send, before its mark. */
function failpointHook(spec: string | undefined): EngineDeps['failpoint'] {
  const m = spec ? /^(after-send|after-claim):(\d+)$/.exec(spec) : null;
  if (!m) return undefined;
  let left = Number(m[2]);
  return (point) => {
    if (point === m[1] && --left <= 0) process.kill(process.pid, 'SIGKILL');
  };
}

/**
 * Brings the config file's channels into the store. Channels moderators made in chat are theirs
 * and left alone. A config channel whose rules in the file are what the last start saw keeps its
 * stored rules, so moderators' edits in chat (/filter) survive restarts; when the file's rules
 * changed, the file wins and the log says whose edits it replaced.
 */
export async function syncChannels(
  store: Store,
  config: Config,
  now: number,
  log?: { warn(obj: object, msg?: string): void },
): Promise<void> {
  const wanted = new Set(config.channels.map((c) => c.id));
  const stored = new Map((await store.listChannels()).map((c) => [c.id, c]));
  for (const c of stored.values()) if (c.origin !== 'chat' && !wanted.has(c.id)) await store.removeChannel(c.id);
  for (const c of config.channels) {
    const configRules = JSON.stringify(c.rules ?? {});
    const before = stored.get(c.id);
    const unchanged = before?.origin !== 'chat' && before?.configRules === configRules;
    const edited = before !== undefined && JSON.stringify(before.rules) !== configRules;
    if (before && !unchanged && edited && before.configRules !== undefined) {
      log?.warn(
        { channel: c.id },
        "the config file changed this channel's rules: they replace the changes moderators made in chat",
      );
    }
    const rules = unchanged ? before.rules : c.rules;
    await store.upsertChannel(
      { id: c.id, sink: c.sink, target: c.target, title: c.title ?? c.id, rules, origin: 'config', configRules },
      now,
    );
  }
}

/** A started bot network; `done` settles when it has stopped. */
export interface RunningBots {
  engine: Engine;
  store: Store;
  ops: OpsServer | null;
  report?: CycleReport;
  stop(): Promise<void>;
}

/** Builds everything and runs: one cycle with `once`, else until SIGINT/SIGTERM. */
export async function runBots(options: RunOptions = {}): Promise<RunningBots> {
  const env = options.env ?? parseEnv();
  const config = loadConfig(options.config);
  const log = createLogger(env.SCIPOP_LOG_LEVEL ?? 'info');
  if (options.dryRun && isPostgresUrl(env.SCIPOP_DB))
    throw new Error(
      '--dry-run works on a snapshot of a SQLite file; it is not available with a postgres:// SCIPOP_DB yet',
    );
  const snapshot = options.dryRun ? snapshotDb(resolve(env.SCIPOP_DB)) : null;
  const store = await openStore(snapshot ? snapshot.path : env.SCIPOP_DB);
  const now = Date.now();
  const seeded = await seedSources(store, config.sources.seedOpml, now);
  if (seeded > 0)
    log.info({ sources: seeded, from: config.sources.seedOpml }, 'first run: imported the default sources');
  await syncChannels(store, config, now, log);

  const sinks = new Map<string, Sink>([['console', createConsoleSink()]]);
  if (!options.dryRun) for (const sink of (await options.platformSinks?.(env)) ?? []) sinks.set(sink.name, sink);
  // This process among the workers on the store: its share of destinations, the roles it plays.
  const clock = { now: () => new Date() };
  const coordinator = createCoordinator({
    store,
    clock,
    log,
    worker: newWorkerIdentity(VERSION, now),
    leaseMs: config.workers.leaseSeconds * 1000,
  });
  let engineRef: Engine | null = null;
  let glossaryRef: Awaited<ReturnType<typeof startGlossary>> = null;
  // What both chat platforms take from the network: the store, feed checks for /add, and a hook
  // so a moderator's /filter takes effect in the running engine at once.
  const platformDeps = {
    db: env.SCIPOP_DB,
    store,
    coordinator,
    fetcher: { fetch: (url: string, o?: FetchRequestOptions) => fetcher.fetch(url, o) },
    parse: (text: string, o: { url: string }) => parseFeedText(text, o),
    glossaryPacks: () => glossaryRef?.live.packs(),
    log,
    channelsChanged: async () => {
      if (!engineRef) return false;
      await engineRef.reloadChannels();
      return true;
    },
  };
  // Telegram: built when its token is set (never in a dry run, which only prints).
  let telegram: TelegramPlatform | null = null;
  if (env.TELEGRAM_BOT_TOKEN && !options.dryRun) {
    telegram = createTelegramPlatform({
      token: env.TELEGRAM_BOT_TOKEN,
      ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT.replace(/\/+$/, '') } : {}),
      config: config.telegram,
      ...platformDeps,
    });
    sinks.set('telegram', telegram.sink);
  }
  // Discord: built when its token is set (never in a dry run). `--once` posts through REST only.
  let discord: DiscordPlatform | null = null;
  if (env.DISCORD_BOT_TOKEN && !options.dryRun) {
    discord = createDiscordPlatform({
      token: env.DISCORD_BOT_TOKEN,
      ...(env.DISCORD_API_BASE ? { apiBase: env.DISCORD_API_BASE } : {}),
      config: config.discord,
      ...platformDeps,
    });
    sinks.set('discord', discord.sink);
  }
  if (options.dryRun) {
    // Every channel prints instead of posting.
    const consoleSink = sinks.get('console')!;
    for (const c of config.channels) sinks.set(c.sink, consoleSink);
  }
  for (const c of config.channels) {
    if (!sinks.has(c.sink))
      log.warn(
        { channel: c.id, sink: c.sink },
        'no sink of this kind is configured (token not set?): its posts wait in the outbox',
      );
  }

  const fetcher = createFetcher({
    allowPrivateNetworks: env.SCIPOP_ALLOW_PRIVATE_NETWORKS,
    timeoutMs: config.fetch.timeoutSeconds * 1000,
    maxBytes: config.fetch.maxBytes,
    maxRedirects: config.fetch.maxRedirects,
    perHostConcurrency: config.fetch.perHostConcurrency,
    ...(config.fetch.userAgent ? { userAgent: config.fetch.userAgent } : {}),
  });
  const metrics = createEngineMetrics(store, { workers: coordinator });
  const failpoint = failpointHook(env.SCIPOP_FAILPOINT);
  const running = await startGlossary(store, config.glossary, log, { poll: !options.once });
  const glossary = running?.live;
  glossaryRef = running;
  const engine = createEngine({
    store,
    fetcher,
    parse: (text, o) => parseFeedText(text, o),
    sinks,
    settings: engineSettings(config),
    clock,
    random: Math.random,
    log,
    metrics,
    coordinator,
    ...(failpoint ? { failpoint } : {}),
    ...(glossary ? { glossary } : {}),
  });
  engineRef = engine;
  await engine.init();

  const ops =
    env.SCIPOP_HTTP_PORT !== undefined
      ? await startOpsServer(
          env.SCIPOP_HTTP_PORT,
          metrics.registry,
          async () => {
            const stats = await store.stats();
            return {
              ok: engine.running,
              sources: stats.activeSources,
              paused: stats.pausedSources,
              pending: stats.deliveries.pending,
              held: stats.deliveries.held,
            };
          },
          undefined,
          running ? [running.route] : [],
        )
      : null;
  if (ops) log.info({ port: ops.port }, 'serving /healthz and /metrics');

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await telegram?.stop();
    await engine.stop();
    await discord?.stop();
    await ops?.close();
    await running?.live.close();
    fetcher.close();
    for (const sink of new Set(sinks.values())) await sink.close?.();
    await store.close();
    snapshot?.cleanup();
  };

  if (options.once) {
    const report = await engine.runOnce();
    await discord?.syncQueue();
    log.info({ ...report }, options.dryRun ? 'dry run done (nothing was recorded)' : 'cycle done');
    await stop();
    return { engine, store, ops, report, stop };
  }

  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down: finishing in-flight work');
    void stop().then(() => log.info({}, 'stopped'));
  };
  await telegram?.start();
  await discord?.start();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log.info(
    {
      worker: coordinator.worker.id,
      store: store.kind,
      sources: (await store.stats()).activeSources,
      channels: config.channels.length,
      sinks: [...sinks.keys()],
    },
    'running',
  );
  void engine.start();
  return { engine, store, ops, stop };
}
