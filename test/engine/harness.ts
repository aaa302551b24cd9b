import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../bots/config/config';
import { createEngine, type Engine } from '../../bots/engine/engine';
import { createFetcher } from '../../bots/engine/fetcher';
import { parseFeedText } from '../../bots/engine/parse-feed';
import { createConsoleSink } from '../../bots/engine/sinks/console-sink';
import type { Sink } from '../../bots/engine/sinks/types';
import type { EngineDeps, EngineLogger } from '../../bots/engine/types';
import { createEngineMetrics } from '../../bots/engine/metrics';
import { engineSettings } from '../../bots/config/engine-settings';
import { bundledGlossary } from '../../bots/glossary/bundled';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { Store } from '../../bots/store/types';

/** Log lines kept for assertions. */
export interface LogLine {
  level: string;
  msg: string | undefined;
  obj: object;
}

/** A clock tests move by hand. */
export function createTestClock(start = Date.parse('2026-11-29T12:00:00Z')) {
  let now = start;
  return {
    now: () => new Date(now),
    advance: (ms: number) => void (now += ms),
    set: (ms: number) => void (now = ms),
    get ms() {
      return now;
    },
  };
}

/** Everything an engine test needs: a real SQLite file in a temp dir, the real fetcher and parser, the console sink writing to an array. */
export interface EngineHarness {
  dir: string;
  store: Store;
  engine: Engine;
  deps: EngineDeps;
  clock: ReturnType<typeof createTestClock>;
  printed: string[];
  logs: LogLine[];
  /** Post headers printed so far: `[post <id> → <channel>]`. */
  posts(): { id: string; channel: string; text: string }[];
  reopen(overrides?: Partial<EngineDeps>): Promise<EngineHarness>;
  close(): Promise<void>;
}

const glossary = bundledGlossary();

/** Builds an engine over a fresh (or given) SQLite file; channels come from a config object. */
export async function createEngineHarness(
  configData: unknown = {},
  options: { allowPrivateNetworks?: boolean; dir?: string; extraSinks?: Sink[]; printed?: string[] } = {},
): Promise<EngineHarness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'scipop-engine-'));
  const config: Config = parseConfig(configData);
  const store = createSqliteStore(join(dir, 'scipop.db'));
  for (const c of config.channels)
    await store.upsertChannel(
      {
        id: c.id,
        sink: c.sink,
        target: c.target,
        title: c.title ?? c.id,
        rules: c.rules,
        digest: c.digest ?? null,
        ...(c.lang ? { lang: c.lang } : {}),
      },
      0,
    );
  const printed = options.printed ?? [];
  const logs: LogLine[] = [];
  const logAt = (level: string) => (obj: object, msg?: string) => void logs.push({ level, msg, obj });
  const log: EngineLogger = { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') };
  const clock = createTestClock();
  const fetcher = createFetcher({ allowPrivateNetworks: options.allowPrivateNetworks ?? true, timeoutMs: 5000 });
  const sinks = new Map<string, Sink>([['console', createConsoleSink({ write: (t) => void printed.push(t) })]]);
  for (const s of options.extraSinks ?? []) sinks.set(s.name, s);
  const deps: EngineDeps = {
    store,
    fetcher,
    parse: (text, o) => parseFeedText(text, o),
    sinks,
    glossary,
    settings: engineSettings(config),
    clock,
    random: () => 0.5,
    log,
    metrics: createEngineMetrics(store, { defaultMetrics: false }),
  };
  const engine = createEngine(deps);
  await engine.init();
  const harness: EngineHarness = {
    dir,
    store,
    engine,
    deps,
    clock,
    printed,
    logs,
    posts: () =>
      printed.flatMap((t) => {
        const m = /^─+\n\[post (\S+) → (\S+)\]/.exec(t);
        return m ? [{ id: m[1]!, channel: m[2]!, text: t }] : [];
      }),
    reopen: async () => {
      await engine.stop();
      fetcher.close();
      await store.close();
      return createEngineHarness(configData, { ...options, dir, printed });
    },
    close: async () => {
      await engine.stop();
      fetcher.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
