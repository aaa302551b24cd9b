import type { FeedResult } from '../../shared/feed/item';
import type { TermGlossary } from '../../shared/message/terms';
import type { Store } from '../store/types';
import type { CompiledChannel } from './channels';
import type { Fetcher } from './fetch-types';
import type { Clock, EngineLogger } from './ports';
import type { EngineMetrics } from './metrics';
import type { ScheduleConfig } from './schedule';
import type { Sink } from './sinks/types';
import type { Coordinator } from './workers';

export type { Clock, EngineLogger } from './ports';

/** Parses a fetched body into a normalized feed (shared/feed's parseFeedText). */
export type FeedParser = (text: string, options: { url: string }) => FeedResult | Promise<FeedResult>;

/** The engine settings taken from the config file. */
export interface EngineSettings {
  schedule: ScheduleConfig;
  /** Newest items a source's first fetch posts. */
  firstFetchPosts: number;
  maxTerms: number;
  /** Sources fetched at once. */
  concurrency: number;
  /** Destinations sent to at once; each destination gets one send at a time, in order. */
  channelConcurrency: number;
  maxAttempts: number;
  inDoubt: 'resend' | 'skip';
  /** How long a worker's leases last without a heartbeat (workers.leaseSeconds). */
  leaseMs: number;
  /** Items their feed stopped listing this long ago are forgotten (0: never). */
  forgetItemsAfterMs: number;
}

/** Everything the poller and the deliverer need, passed in (STYLE.md: seams in an options object). */
export interface EngineDeps {
  store: Store;
  fetcher: Pick<Fetcher, 'fetch'>;
  parse: FeedParser;
  sinks: ReadonlyMap<string, Sink>;
  glossary?: TermGlossary;
  settings: EngineSettings;
  clock: Clock;
  random: () => number;
  log: EngineLogger;
  metrics?: EngineMetrics;
  /** Work sharing with other workers on the same store; the engine makes a one-worker one when absent. */
  coordinator?: Coordinator;
  /** Test-only failpoint hook (SCIPOP_FAILPOINT), called at named points of delivery. */
  failpoint?: (point: 'after-send' | 'after-claim' | 'after-digest') => void;
  /**
   * Upkeep that one worker at a time does (the one holding the maintenance role), called after each
   * poll pass; it decides itself whether it is due (the glossary's daily gap finder).
   */
  maintenance?: (now: number) => Promise<unknown>;
}

/** What polling a source uses (pollSource): no sinks. */
export type PollDeps = Pick<
  EngineDeps,
  'store' | 'fetcher' | 'parse' | 'glossary' | 'settings' | 'clock' | 'random' | 'log' | 'metrics'
>;

/** What delivering the outbox uses (deliverPending, recoverInDoubt): no fetcher, no parser. */
export type DeliveryDeps = Pick<EngineDeps, 'store' | 'sinks' | 'settings' | 'clock' | 'log' | 'metrics' | 'failpoint'>;

/** Channels as the engine holds them, refreshed when moderators change them. */
export interface ChannelRegistry {
  list(): readonly CompiledChannel[];
  get(id: string): CompiledChannel | undefined;
  /** Reads the channels and subscriptions again if the store's changed since they were compiled. */
  refresh?(): Promise<void>;
}
