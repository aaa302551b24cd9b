/**
 * What the moderators' dashboard keeps in the Store: one-time sign-in links and sessions, so a
 * restart or another worker signs nobody out. Only SHA-256 hashes of their tokens are stored: a
 * copy of the database signs nobody in.
 */

/**
 * What a sign-in grants, fixed when the moderator asked for the link in the chat: who they are on
 * their platform, whether they are a network operator, and the channels they moderate there (the
 * roles of shared/curation/roles.ts, as the platform answered at that moment).
 */
export interface DashboardGrant {
  /** `telegram`, `discord`… */
  platform: string;
  userId: string;
  /** A name to show (`@alice`). */
  name: string;
  operator: boolean;
  /** The SciPop channel ids they moderate (operators: every channel, whatever this says). */
  channelIds: string[];
}

/** A signed-in session as the store returns it. */
export interface DashboardSession {
  grant: DashboardGrant;
  createdAt: number;
  expiresAt: number;
}

/** Posts sent to one channel on one UTC day (`day`: days since 1970-01-01). */
export interface DailyPosts {
  channelId: string;
  day: number;
  posts: number;
}

/** How many outbox rows of a channel wait: held for a moderator, or pending delivery. */
export interface QueueSize {
  channelId: string;
  held: number;
  pending: number;
}

/** A stored feed item as the dashboard's rule preview reads it. */
export interface RecentItem {
  id: string;
  sourceId: string;
  title: string;
  link: string | null;
  publishedAt: number | null;
  seenAt: number;
  /** The normalized feed item as the poller stored it (shared/feed's Item); parse before use. */
  data: unknown;
}

/** The dashboard part of the Store. All times are epoch milliseconds; hashes are hex SHA-256. */
export interface DashboardStateStore {
  /** Stores a sign-in link's token hash with what it grants, valid until `expiresAt`. */
  createDashboardSignIn(tokenHash: string, grant: DashboardGrant, now: number, expiresAt: number): Promise<void>;
  /**
   * Uses a sign-in link: its grant, once, while it has not expired; undefined when it is unknown,
   * expired or used already (two workers racing on one link: one of them gets it).
   */
  redeemDashboardSignIn(tokenHash: string, now: number): Promise<DashboardGrant | undefined>;
  createDashboardSession(idHash: string, grant: DashboardGrant, now: number, expiresAt: number): Promise<void>;
  /** The session with this id hash while it has not expired. */
  dashboardSession(idHash: string, now: number): Promise<DashboardSession | undefined>;
  /** Ends a session (sign-out); false when there was none. */
  endDashboardSession(idHash: string): Promise<boolean>;
  /** Forgets expired sign-in links and sessions; returns how many rows went. */
  pruneDashboard(now: number): Promise<number>;
  /** Posts sent per channel and UTC day since `since`, oldest day first. */
  dailyPosts(since: number): Promise<DailyPosts[]>;
  /** Held and pending rows per channel (channels with none are left out). */
  queueSizes(): Promise<QueueSize[]>;
  /**
   * The newest `limit` items (first seen last, then published last) of some sources: those a
   * channel subscribes to (paused subscriptions left out), those listed, or (`null`) every source.
   * A data column that does not parse comes back as null.
   */
  recentItems(
    of: { channelId: string } | { sourceIds: readonly string[] } | null,
    limit: number,
  ): Promise<RecentItem[]>;
}
