/**
 * The Store: everything the engine keeps between runs. The interface is async and the SQL behind
 * it portable, so the SQLite implementation (one process) and a PostgreSQL one (many workers) run
 * the same contract tests (bots/store/contract.ts).
 */
import type { ChatLang } from '../../shared/i18n/lang';
import type { DashboardStateStore } from './dashboard-types';
import type { DeliveryLogStore } from './delivery-log-types';
import type { GlossaryStateStore } from './glossary-types';
import type { PlatformStateStore } from './platform-types';

/** A curated feed as the engine sees it: identity, curation settings and fetch state. */
export interface Source {
  id: string;
  url: string;
  title: string;
  siteUrl: string | null;
  /** Fields / topics; curation rules select sources by tag. */
  tags: string[];
  lang: string | null;
  /** Seconds between fetches; null means the configured default. */
  intervalSec: number | null;
  /** Trusted sources post directly; the others wait in the approval queue. */
  trusted: boolean;
  /** False when paused (by a moderator or after too many failures); see pausedReason. */
  active: boolean;
  pausedReason: string | null;
  pausedAt: number | null;
  etag: string | null;
  lastModified: string | null;
  nextFetchAt: number;
  lastFetchAt: number | null;
  lastSuccessAt: number | null;
  /** Consecutive failures since the last success. */
  failures: number;
  lastError: string | null;
  createdAt: number;
}

/** What `addSource` needs; the rest takes defaults. */
export interface NewSource {
  url: string;
  title: string;
  siteUrl?: string | null;
  tags?: string[];
  lang?: string | null;
  intervalSec?: number | null;
  trusted?: boolean;
}

/** Settings a moderator or an import may change. */
export type SourcePatch = Partial<
  Pick<Source, 'url' | 'title' | 'siteUrl' | 'tags' | 'lang' | 'intervalSec' | 'trusted'>
>;

/** A value to write, or null to keep the one stored (an explicit `COALESCE(new, old)` in the SQL). */
export type NullKeeps<T> = T | null;

/** The fetch state written after each attempt, in the same transaction as the items it found. */
export interface FetchState {
  /** The URL after a permanent redirect; omit to keep the stored one. */
  url?: string;
  etag: string | null;
  lastModified: string | null;
  nextFetchAt: number;
  lastFetchAt: number;
  /**
   * When the fetch last succeeded. NULL KEEPS THE STORED VALUE: a failed or not-modified fetch
   * passes null and the last success stays recorded (it is never cleared).
   */
  lastSuccessAt: NullKeeps<number>;
  failures: number;
  lastError: string | null;
  /** Set to pause the source (too many failures); null leaves it active. */
  pausedReason?: string | null;
}

/** A destination: one chat or channel on one sink, with its curation rules (JSON, validated by the engine). */
export interface Channel {
  id: string;
  sink: string;
  target: string;
  title: string;
  rules: unknown;
  /**
   * Who manages it: `config` channels are synced from the config file on start (and removed when
   * gone from it); `chat` channels are created by moderators' commands and left alone. Default `config`.
   */
  origin?: 'config' | 'chat';
  /**
   * For `config` channels: the rules as the config file last gave them (JSON text). A start that
   * finds the file unchanged keeps the stored rules, so moderators' edits in chat survive restarts.
   */
  configRules?: string | null;
  /** The channel's digest settings (JSON, validated by the engine: shared/digest/config.ts); null or absent: no digest. */
  digest?: unknown;
  /**
   * The language it speaks (posts' fixed words, the bots' replies, term explanations); absent:
   * English. Set from the platform when a moderator adds the channel, changed with `/lang`.
   */
  lang?: ChatLang;
  /**
   * For `config` channels: the `lang` the config file last gave (absent: none). A start that finds
   * the file's unchanged keeps the stored language, so a moderator's `/lang` survives restarts.
   */
  configLang?: ChatLang | null;
}

/**
 * A channel's subscription to a source: the channel receives the source's items (its rules'
 * keywords, languages and caps still apply) unless the subscription is paused.
 */
export interface Subscription {
  channelId: string;
  sourceId: string;
  /** Why this channel's moderators paused it; null while it is active. */
  pausedReason: string | null;
  pausedAt: number | null;
  createdAt: number;
}

/**
 * Where an outbox row stands. `held` waits for a moderator; `sending` was claimed and not yet
 * marked; `digest` is a post a digest-only channel keeps for its next digest and never sends alone.
 */
export type DeliveryStatus = 'held' | 'pending' | 'sending' | 'sent' | 'rejected' | 'failed' | 'digest';

/** One delivery to write with a new item. */
export interface NewDelivery {
  channelId: string;
  status: 'held' | 'pending' | 'digest';
  /** The platform-neutral message, as JSON-serializable data. */
  message: unknown;
}

/** An item first seen in this fetch, with the deliveries curation chose for it. */
export interface NewItem {
  key: string;
  title: string;
  link: string | null;
  publishedAt: number | null;
  data: unknown;
  deliveries: NewDelivery[];
  /**
   * The subscribed channels that get no post of it, and why (the delivery log): written with the
   * item, only when the item is new.
   */
  verdicts?: NewVerdict[];
}

/** Why a new item goes to no post in one subscribed channel. */
export interface NewVerdict {
  channelId: string;
  /** `filtered`: a rule of the channel left it out; `skipped`: a first fetch posts only the newest items. */
  outcome: 'filtered' | 'skipped';
  /** The rule, as curation names it (`excluded keyword "x"`), or what the first fetch did. */
  reason: string;
}

/** An outbox row. */
export interface Delivery {
  id: string;
  /** The item posted; null for a digest's part, which is made of many. */
  itemId: string | null;
  sourceId: string;
  channelId: string;
  status: DeliveryStatus;
  message: unknown;
  createdAt: number;
  notBefore: number;
  attempts: number;
  claimedAt: number | null;
  /** The worker that claimed it (null: claimed without a lease, or not claimed). */
  claimedBy: string | null;
  sentAt: number | null;
  remoteId: string | null;
  lastError: string | null;
  decidedBy: string | null;
}

/** A digest as the store records it: one per channel and scheduled time. */
export interface DigestRecord {
  channelId: string;
  /** The scheduled time it was for (epoch ms). */
  slotAt: number;
  /** The previous digest's scheduled time, from which its stories were taken. */
  sinceAt: number | null;
  createdAt: number;
  parts: number;
  stories: number;
  /** True when it was built after its time (the bots were not running then). */
  late: boolean;
}

/** What {@link Store.commitDigest} writes: the record and its parts' messages, in sending order. */
export interface NewDigest {
  channelId: string;
  slotAt: number;
  sinceAt: number | null;
  stories: number;
  late: boolean;
  /** One platform-neutral message per part (JSON-serializable), in order. */
  parts: readonly unknown[];
}

/** Counts for /metrics and `scipop sources list`. */
export interface StoreStats {
  sources: number;
  activeSources: number;
  pausedSources: number;
  items: number;
  deliveries: Record<DeliveryStatus, number>;
}

/** What a committed fetch wrote: the items that were really new (another worker may have won). */
export interface CommitResult {
  insertedItems: number;
  insertedDeliveries: number;
}

/** A `scipop run` process as the store knows it: alive while its heartbeat is recent. */
export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  version: string;
  startedAt: number;
  heartbeatAt: number;
}

/**
 * What a lease is on: a destination (`channel`, its posts and its rate limits belong to one worker
 * at a time) or a `role` only one worker may play (the Telegram long poll, the Discord gateway).
 * Sources are leased on their own rows (`leaseDueSources`).
 */
export type LeaseKind = 'channel' | 'role';

/** A lease held by a worker until `until` (epoch ms); it lapses when not renewed. */
export interface Lease {
  kind: LeaseKind;
  key: string;
  owner: string;
  until: number;
  takenAt: number;
}

/**
 * The persistence seam of the bots. All times are epoch milliseconds. The chat platforms' own
 * state (paused destinations, send journal, approval-queue posts…) is in {@link PlatformStateStore},
 * the community glossary's in {@link GlossaryStateStore}, the dashboard's in {@link DashboardStateStore}.
 */
export interface Store extends PlatformStateStore, GlossaryStateStore, DashboardStateStore, DeliveryLogStore {
  readonly kind: 'sqlite' | 'postgres';
  /** The applied migration version. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;

  /**
   * Adds a source to the network. Subscribed by `subscriber` alone (a channel moderator's /add)
   * when given, else by every channel whose rules select it (an operator's add, an import).
   */
  addSource(input: NewSource, now: number, subscriber?: string): Promise<Source>;
  getSource(idOrUrl: string): Promise<Source | undefined>;
  listSources(): Promise<Source[]>;
  updateSource(id: string, patch: SourcePatch): Promise<Source | undefined>;
  removeSource(id: string): Promise<boolean>;
  /** Active sources whose next fetch is due, soonest first. */
  dueSources(now: number, limit: number): Promise<Source[]>;
  /**
   * Takes up to `limit` due sources no live lease holds and leases them to `owner` until `until`,
   * soonest first; two workers asking at once get different sources (FOR UPDATE SKIP LOCKED on
   * PostgreSQL). The lease ends with the fetch's commitFetch / saveFetchState, or lapses.
   */
  leaseDueSources(owner: string, now: number, until: number, limit: number): Promise<Source[]>;
  pauseSource(id: string, reason: string, now: number): Promise<boolean>;
  /** Reactivates a paused source, clears its failures and makes it due now. */
  resumeSource(id: string, now: number): Promise<boolean>;

  /** The keys among `keys` this source has not recorded yet. */
  unseenKeys(sourceId: string, keys: readonly string[]): Promise<Set<string>>;
  /**
   * One transaction: records new items as seen, writes their outbox rows, and saves the fetch
   * state. An item already recorded (by an earlier run or another worker) gets no outbox rows.
   * `listed`: keys of items seen before that the feed still lists (marked, at most once a day, so
   * pruneItems never forgets an item its feed still carries).
   */
  commitFetch(
    sourceId: string,
    state: FetchState,
    items: readonly NewItem[],
    now: number,
    listed?: readonly string[],
  ): Promise<CommitResult>;
  /**
   * Forgets up to `limit` items neither seen nor listed by their feed since `before` (with their
   * finished outbox rows; an item with a post still held, pending or being sent is kept).
   */
  pruneItems(before: number, limit: number): Promise<number>;
  /** Saves the fetch state alone (304, failure). */
  saveFetchState(sourceId: string, state: FetchState): Promise<void>;

  /**
   * Creates or updates a channel. A new channel, or one whose rules now select other sources
   * (`rules.sources`, `rules.tags`), subscribes to exactly the sources they select; otherwise its
   * subscriptions (and moderators' changes to them) are kept.
   */
  upsertChannel(channel: Channel, now: number): Promise<void>;
  listChannels(): Promise<Channel[]>;
  /** Removes a channel and its subscriptions; sources nobody receives any more are paused (`now` stamps that). */
  removeChannel(id: string, now?: number): Promise<boolean>;

  /** Subscriptions, of one channel or one source or all, ordered by channel then source. */
  listSubscriptions(filter?: { channelId?: string; sourceId?: string }): Promise<Subscription[]>;
  /** Subscribes a channel to a source (a source paused because nobody received it is resumed); true when new. */
  subscribe(channelId: string, sourceId: string, now: number): Promise<boolean>;
  /** Ends a subscription; a source with no active subscription left is paused (UNSUBSCRIBED_REASON). True when it existed. */
  unsubscribe(channelId: string, sourceId: string, now: number): Promise<boolean>;
  /** Pauses (`reason`) or resumes (null) one channel's subscription, with the same effect on the source as unsubscribe/subscribe. */
  pauseSubscription(channelId: string, sourceId: string, reason: string | null, now: number): Promise<boolean>;

  /**
   * Pending rows due to send, oldest first. A channel with a pending row put off to later (a
   * retry, a cap) is left out entirely, so its posts still go out in order.
   */
  pendingDeliveries(now: number, limit: number, owner?: string): Promise<Delivery[]>;
  /**
   * Rows left in `sending` by a crash between a send and its mark: all of them, or with
   * `aliveSince` only those whose claimer has not beaten since then (a dead worker's).
   */
  inDoubtDeliveries(aliveSince?: number): Promise<Delivery[]>;
  /**
   * Puts an in-doubt row back to pending (`resend`, flagged with `note`) or records it as sent
   * (`skip`), if it is still in `sending` by `claimedBy`; false when another worker resolved it first.
   */
  resolveInDoubt(
    id: string,
    claimedBy: string | null,
    outcome: 'resend' | 'skip',
    note: string,
    now: number,
  ): Promise<boolean>;
  /**
   * pending → sending; false if someone else claimed it first. With `owner`, only while `owner`
   * holds the row's channel lease (a worker whose lease lapsed cannot send).
   */
  claimDelivery(id: string, now: number, owner?: string): Promise<boolean>;
  markSent(id: string, now: number, remoteId: string | null): Promise<void>;
  /** Back to pending at `retryAt`, or `failed` for good when retryAt is null. */
  markFailed(id: string, error: string, retryAt: number | null): Promise<void>;
  /** Puts a pending row off (posting cap reached) without counting an attempt; `note` says why (the delivery log). */
  deferDelivery(id: string, notBefore: number, note?: string): Promise<void>;
  getDelivery(id: string): Promise<Delivery | undefined>;
  /** The approval queue, oldest first. */
  heldDeliveries(channelId: string | null, limit: number): Promise<Delivery[]>;
  /** A moderator's decision on a held row; false if it was not held. */
  decideDelivery(id: string, decision: 'approve' | 'reject', by: string, now: number): Promise<boolean>;
  /**
   * The posts a channel's rules passed in (`since`, `until`] (by when their rows were written),
   * whatever became of them (sent, waiting, kept for the digest), newest first (so `limit` keeps
   * the newest): a digest's material.
   * Held, rejected and failed posts are left out, and so are digest parts.
   */
  digestCandidates(channelId: string, since: number, until: number, limit: number): Promise<Delivery[]>;
  /** The channel's latest recorded digest, or undefined before its first. */
  lastDigest(channelId: string): Promise<DigestRecord | undefined>;
  /**
   * One transaction: records the digest of (`channelId`, `slotAt`) and writes its parts as
   * pending outbox rows that sort in part order. False, and nothing written, when that digest is
   * already recorded (another worker, or a run before a crash, made it): a digest is sent once.
   */
  commitDigest(digest: NewDigest, now: number): Promise<boolean>;
  /** Deliveries sent to a channel since `since` (posting caps). */
  countSentSince(channelId: string, since: number): Promise<number>;
  /** When the posts sent to a channel since `since` were sent, oldest first (a new owner's rate limiter starts from them). */
  recentSends(channelId: string, since: number): Promise<number[]>;
  stats(): Promise<StoreStats>;

  /** Records that a worker is alive and extends every lease it holds (channels, roles, sources) to `until`. */
  heartbeat(worker: Omit<WorkerInfo, 'heartbeatAt'>, now: number, until: number): Promise<void>;
  /** Forgets a worker and gives back all it held; its rows still `sending` become in doubt. */
  retireWorker(id: string): Promise<void>;
  listWorkers(): Promise<WorkerInfo[]>;
  /** Takes, or renews, a lease until `until`; false while another owner's lease has not lapsed. */
  tryLease(kind: LeaseKind, key: string, owner: string, now: number, until: number): Promise<boolean>;
  /** Gives a lease back; false if `owner` did not hold it. */
  releaseLease(kind: LeaseKind, key: string, owner: string): Promise<boolean>;
  listLeases(kind?: LeaseKind): Promise<Lease[]>;
  /** Sources leased right now (fetches in progress) per owner, with when the oldest was taken. */
  sourceLeases(now: number): Promise<{ owner: string; sources: number; oldestAt: number }[]>;
  /**
   * Why the store cannot write right now (a full disk, a read-only file), or null when its last
   * write went through. Only stores that can lose the ability to write report it (SQLite); while
   * it is set, writes fail with `StoreError('unwritable')` and nothing already stored is lost.
   */
  writeProblem?(): string | null;
}

/**
 * A store failure the caller can act on: `duplicate`, `not-found`, `unsupported`, `migration`, or
 * `unwritable` (the disk is full or the file read-only: wait and retry, nothing stored is lost).
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: 'duplicate' | 'not-found' | 'unsupported' | 'migration' | 'unwritable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for the store's "cannot write" errors (full disk, read-only file): wait and retry, nothing stored is lost. */
export const isUnwritable = (error: unknown): boolean => error instanceof StoreError && error.code === 'unwritable';
