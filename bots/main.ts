/**
 * The composition root of the bots: the one place that builds the real store, fetcher, platforms,
 * glossary, clock, logger and ops server, and wires them into the engine. Everything else takes
 * them as parameters; the helpers live in the folders they belong to.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorMessage } from '../shared/errors';
import { loadConfig } from './config/config';
import { engineSettings } from './config/engine-settings';
import { parseEnv, type Env } from './config/env';
import { syncChannels } from './config/sync-channels';
import { createDashboard, startDashboardServer } from './dashboard/serve';
import { createEngine, type CycleReport, type Engine } from './engine/engine';
import { failpointHook } from './engine/failpoint';
import { createFetcher } from './engine/fetcher';
import { startOpsServer, type OpsServer } from './engine/http-server';
import { createLogger } from './engine/logger';
import { createEngineMetrics } from './engine/metrics';
import { parseFeedText } from './engine/parse-feed';
import { createConsoleSink } from './engine/sinks/console-sink';
import type { Sink } from './engine/sinks/types';
import { createCoordinator, newWorkerIdentity } from './engine/workers';
import { explainTerm } from './glossary/read';
import { startGlossary } from './glossary/run';
import { resolveAiSettings } from './ai/config';
import { createPlatforms, platformStates, registerPlatformGauge } from './platform/available';
import { explainer } from './platform/types';
import { seedSources } from './sources/catalog';
import { isPostgresUrl, openStore } from './store/open-store';
import { snapshotDb } from './store/snapshot';
import type { Store } from './store/types';

/** This SciPop's version, as `scipop workers` shows it for each worker (a rolling upgrade mixes them). */
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** After SIGTERM or SIGINT the process is gone within this, whatever hangs (a crash's guarantees hold). */
const EXIT_DEADLINE_MS = 9000;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** How `scipop run` was invoked. */
export interface RunOptions {
  config?: string;
  once?: boolean;
  dryRun?: boolean;
  env?: Env;
}

/** A started bot network. */
export interface RunningBots {
  engine: Engine;
  store: Store;
  ops: OpsServer | null;
  /** The dashboard's own server, when `dashboard.port` is set (else it is on `ops`). */
  dashboardServer?: OpsServer | null;
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
  // A signal while starting (a migration waiting on a lock, a platform not answering) exits at
  // once: nothing has been taken on yet, and PostgreSQL rolls an unfinished migration step back.
  const signalWhileStarting = (signal: NodeJS.Signals) => {
    log.warn({ signal }, 'stopped while starting: exiting now (an unfinished migration step is rolled back)');
    process.exit(1);
  };
  if (!options.once) for (const s of SIGNALS) process.once(s, signalWhileStarting);
  const snapshot = options.dryRun ? snapshotDb(resolve(env.SCIPOP_DB)) : null;
  const store = await openStore(snapshot ? snapshot.path : env.SCIPOP_DB, {
    // Said once when writes start failing and once when they work again; the loops retry meanwhile.
    onWriteProblem: (problem) =>
      problem
        ? log.error({ store: problem }, 'the store cannot write: posting waits until it can')
        : log.info('the store can write again: posting goes on'),
  });
  const now = Date.now();
  const seeded = await seedSources(store, config.sources.seedOpml, now);
  if (seeded > 0)
    log.info({ sources: seeded, from: config.sources.seedOpml }, 'first run: imported the default sources');
  await syncChannels(store, config, now, log);

  const clock = { now: () => new Date() };
  // This process among the workers on the store: its share of destinations, the roles it plays.
  const coordinator = createCoordinator({
    store,
    clock,
    log,
    worker: newWorkerIdentity(VERSION, now),
    leaseMs: config.workers.leaseSeconds * 1000,
  });
  const fetcher = createFetcher({
    allowPrivateNetworks: env.SCIPOP_ALLOW_PRIVATE_NETWORKS,
    timeoutMs: config.fetch.timeoutSeconds * 1000,
    maxBytes: config.fetch.maxBytes,
    maxRedirects: config.fetch.maxRedirects,
    perHostConcurrency: config.fetch.perHostConcurrency,
    ...(config.fetch.userAgent ? { userAgent: config.fetch.userAgent } : {}),
  });
  const parse = parseFeedText;
  const metrics = createEngineMetrics(store, { workers: coordinator });
  const failpoint = failpointHook(env.SCIPOP_FAILPOINT);
  // The bundled glossary under the community layer; a broken bundled pack is logged and posts go out without explanations.
  const ai = resolveAiSettings(config.ai, env);
  const running = await startGlossary(store, config.glossary, log, {
    poll: !options.once && !options.dryRun,
    ...(ai ? { ai, registry: metrics.registry } : {}),
  });
  const glossary = running?.live;
  // The engine looks sinks up when it sends, so the platforms' sinks join the map below.
  const sinks = new Map<string, Sink>([['console', createConsoleSink()]]);
  const engine = createEngine({
    store,
    fetcher,
    parse,
    sinks,
    settings: engineSettings(config),
    clock,
    random: Math.random,
    log,
    metrics,
    coordinator,
    ...(failpoint ? { failpoint } : {}),
    ...(running?.wanted ? { maintenance: running.wanted.runIfDue } : {}),
    ...(glossary ? { glossary } : {}),
  });

  // The moderators' dashboard, on the ops server or its own port; `/dashboard` in the chats hands out its sign-in links.
  const dashboardPort = config.dashboard.port;
  const dashboard =
    (env.SCIPOP_HTTP_PORT !== undefined || dashboardPort !== undefined) && !options.dryRun && !options.once
      ? createDashboard({
          config: config.dashboard,
          baseUrl: env.SCIPOP_DASHBOARD_URL,
          store,
          now: Date.now,
          leaseMs: config.workers.leaseSeconds * 1000,
        })
      : null;
  if (!dashboard && (env.SCIPOP_DASHBOARD_URL ?? config.dashboard.baseUrl) && !options.once && !options.dryRun)
    log.warn('dashboard.baseUrl is set but neither SCIPOP_HTTP_PORT nor dashboard.port: the dashboard is not served');
  const explain = running ? (term: string) => explainTerm(running.live.packs(), term) : undefined;

  // A moderator's rule change (in a chat or on the dashboard) takes effect at once: the engine re-reads its channels.
  const channelsChanged = async () => {
    await engine.reloadChannels();
    return true;
  };

  // Chat platforms: those whose tokens are set (never in a dry run, which only prints). They take
  // the store, feed checks for /add, and a hook so a moderator's /filter takes effect at once.
  const platforms = options.dryRun
    ? []
    : createPlatforms(env, config, {
        db: env.SCIPOP_DB,
        store,
        coordinator,
        fetcher,
        parse,
        log,
        ...(explain && running ? { explain, term: running.term } : {}),
        ...(dashboard ? { dashboard: dashboard.auth } : {}),
        channelsChanged,
      });
  for (const p of platforms) sinks.set(p.name, p.sink);
  registerPlatformGauge(metrics.registry, platforms);
  if (options.dryRun) for (const c of config.channels) sinks.set(c.sink, sinks.get('console')!); // every channel prints
  for (const c of config.channels) {
    if (!sinks.has(c.sink))
      log.warn(
        { channel: c.id, sink: c.sink },
        'no sink of this kind is configured (token not set?): its posts wait in the outbox',
      );
  }
  await engine.init();

  const dashboardRoute = dashboard?.route({
    store,
    fetcher,
    parse,
    explain: explainer(explain ? { explain } : {}),
    log,
    now: Date.now,
    channelsChanged,
    ...(running ? { term: running.term } : {}),
  });
  const dashboardServer =
    dashboardRoute && dashboardPort !== undefined ? await startDashboardServer(dashboardPort, dashboardRoute) : null;
  const ops =
    env.SCIPOP_HTTP_PORT !== undefined
      ? await startOpsServer(
          env.SCIPOP_HTTP_PORT,
          metrics.registry,
          async () => {
            const stats = await store.stats();
            const problem = store.writeProblem?.() ?? null;
            return {
              ok: engine.running && problem === null,
              ...(problem ? { store: problem } : {}),
              sources: stats.activeSources,
              paused: stats.pausedSources,
              pending: stats.deliveries.pending,
              held: stats.deliveries.held,
              platforms: platformStates(platforms),
            };
          },
          undefined,
          [...(running?.routes ?? []), ...(dashboardRoute && dashboardPort === undefined ? [dashboardRoute] : [])],
        )
      : null;
  if (ops) log.info({ port: ops.port }, 'serving /healthz and /metrics');
  if (dashboard)
    log.info({ at: dashboard.at, port: dashboardServer?.port ?? ops?.port }, 'serving the moderators’ dashboard');

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // Platforms first (no new commands), then the engine finishes its in-flight work.
      await Promise.all(platforms.map((p) => p.stop()));
      await engine.stop();
      await ops?.close();
      await dashboardServer?.close();
      await running?.live.close();
      fetcher.close();
      for (const sink of new Set(sinks.values())) await sink.close?.();
      await store.close();
      snapshot?.cleanup();
    })());

  if (options.once) {
    const report = await engine.runOnce();
    for (const p of platforms) await p.afterCycle?.();
    log.info({ ...report }, options.dryRun ? 'dry run done (nothing was recorded)' : 'cycle done');
    await stop();
    return { engine, store, ops, report, stop };
  }

  for (const s of SIGNALS) {
    process.off(s, signalWhileStarting);
    process.once(s, onSignal);
  }
  function onSignal(signal: NodeJS.Signals) {
    log.info({ signal }, 'shutting down: finishing in-flight work');
    // A second signal exits at once; whatever hangs past the deadline is left as a crash would leave it.
    const now = () => {
      log.warn({ signal }, 'exiting now: in-flight work is left for the next start');
      process.exit(1);
    };
    process.once('SIGINT', now);
    process.once('SIGTERM', now);
    setTimeout(() => {
      log.warn({ ms: EXIT_DEADLINE_MS }, 'shutdown took too long; exiting: in-flight work is left for the next start');
      process.exit(1);
    }, EXIT_DEADLINE_MS).unref();
    void stop().then(
      () => {
        log.info({}, 'stopped');
        process.exit(process.exitCode ?? 0);
      },
      (error: unknown) => {
        log.error({ err: errorMessage(error) }, 'stopping failed');
        process.exit(1);
      },
    );
  }
  // Each platform connects on its own: one that is slow or down does not hold up the others.
  await Promise.all(platforms.map((p) => p.start()));
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
  return { engine, store, ops, dashboardServer, stop };
}
