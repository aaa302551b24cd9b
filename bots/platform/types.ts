import { errorMessage } from '../../shared/errors';
import type { DashboardLinks } from '../dashboard/sign-in';
import type { Fetcher } from '../engine/fetch-types';
import type { Sink } from '../engine/sinks/types';
import type { EngineLogger, FeedParser } from '../engine/types';
import type { Coordinator } from '../engine/workers';
import { loadBundledPacks } from '../glossary/bundled';
import { explainForChat, explainTerm } from '../glossary/read';
import type { ChatLang } from '../../shared/i18n/lang';
import { importLegacyStateFile } from '../store/legacy-state';
import { platformStateFile } from '../store/open-store';
import type { PlatformStateStore } from '../store/platform-types';
import type { TermService } from '../glossary/term-service';
import type { Store } from '../store/types';
import type { Lifecycle, PlatformState } from './lifecycle';

/** What every chat platform takes from the network (the composition root builds it once). */
export interface PlatformOptions {
  /** SCIPOP_DB, to find an old state file beside it (imported into the store once). */
  db: string;
  store: Store;
  /** Feed checks for /add, the way the poller fetches. */
  fetcher: Pick<Fetcher, 'fetch'>;
  parse: FeedParser;
  log: EngineLogger;
  /** The glossary entry for a term as a reader would see it, or null; the bundled glossary by default. */
  explain?: (term: string) => string | null;
  /** Tells the engine that channels or their rules changed; false when it cannot reload them live. */
  channelsChanged?: () => Promise<boolean>;
  /** The community glossary's /term (docs/living-glossary.md). */
  term?: TermService;
  /** The moderators' dashboard's sign-in links, for `/dashboard` (off when the network does not serve it). */
  dashboard?: DashboardLinks;
  /**
   * Work sharing between workers on one store. With it, updates are taken only while this worker
   * holds the platform's role, and global send budgets are split between the live workers.
   */
  coordinator?: Coordinator;
  /** The clock, in ms since the epoch (Date.now by default). */
  now?: () => number;
  /** HTTP for the platform's own calls and downloads (globalThis.fetch by default). */
  fetch?: typeof globalThis.fetch;
}

/** A running chat platform as the composition root sees it: a sink for the engine, a lifecycle for the process. */
export interface ChatPlatform {
  /** The sink name channels use: `telegram`, `discord`. */
  readonly name: string;
  readonly sink: Sink;
  /** Connects (holding the platform's role with workers); a platform call failing is retried, never thrown. */
  start(): Promise<void>;
  /** Stops taking updates and disconnects within a deadline. */
  stop(): Promise<void>;
  /** Where the connection stands, for /healthz and /metrics. */
  state(): PlatformState;
  /** Work a one-cycle run does after the cycle (Discord shows its approval queue). */
  afterCycle?(): Promise<unknown>;
}

/** The explain function of a platform's options, loading the bundled glossary at the first use. */
export function explainer(options: Pick<PlatformOptions, 'explain'>): (term: string, lang?: ChatLang) => string | null {
  let packs: ReturnType<typeof loadBundledPacks> | null = null;
  return (term, lang) => {
    // A Chinese channel reads the Chinese entries; English keeps the reader's view the CLI prints.
    if (lang && lang !== 'en') return explainForChat((packs ??= loadBundledPacks()), term, lang);
    if (options.explain) return options.explain(term);
    return explainTerm((packs ??= loadBundledPacks()), term);
  };
}

/** Imports a platform's old state file (once) and runs its own clean-up; never fails the start. */
export async function prepareState(
  options: PlatformOptions,
  platform: string,
  how: {
    stateFile: string | undefined;
    read: Parameters<typeof importLegacyStateFile>[0]['read'];
    prune?: (store: Store) => Promise<unknown>;
  },
): Promise<void> {
  const { store, log } = options;
  try {
    const file = platformStateFile(options.db, platform, how.stateFile);
    await importLegacyStateFile({ store, platform, file, read: how.read, log });
    await how.prune?.(store);
  } catch (error) {
    const name = platform[0]!.toUpperCase() + platform.slice(1);
    log.error({ err: errorMessage(error) }, `could not prepare the ${name} state in the store`);
  }
}

/** A platform's start, stop and state around its lifecycle: nothing starts before `ready` (its state imported), stop waits for it. */
export function lifecycleControls(
  lifecycle: Lifecycle,
  ready: Promise<unknown>,
): Pick<ChatPlatform, 'start' | 'stop' | 'state'> {
  return {
    state: lifecycle.state,
    async start() {
      await ready;
      await lifecycle.start();
    },
    async stop() {
      await lifecycle.stop();
      await ready;
    },
  };
}

/** Wraps a platform state's method so it waits for `ready` (the import of an old state file) first. */
export type AfterReady = <A extends unknown[], R>(f: (...args: A) => Promise<R>) => (...args: A) => Promise<R>;

/**
 * Defines a platform's state over the Store: `ready` (the import of an old state file) is awaited
 * before every call, so nothing reads the store before what the file held is in it.
 */
export function definePlatformState<S>(build: (store: PlatformStateStore, after: AfterReady) => S) {
  return (store: PlatformStateStore, ready: Promise<unknown> = Promise.resolve()): S =>
    build(store, (f) => async (...args) => {
      await ready;
      return f(...args);
    });
}

export type { PlatformState };
