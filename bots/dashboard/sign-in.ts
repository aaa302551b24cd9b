import type { DashboardGrant, DashboardSession, DashboardStateStore } from '../store/dashboard-types';
import { hashToken, looksLikeToken, newToken } from './tokens';

/** A sign-in link works this long, once. */
export const SIGN_IN_TTL_MS = 10 * 60_000;

/** What the `/dashboard` chat command needs: a one-time link for the moderator asking. */
export interface DashboardLinks {
  /** Stores a new one-time sign-in link for this grant and returns its URL. */
  link(grant: DashboardGrant): Promise<string>;
  /** Minutes the link works. */
  minutes: number;
}

/** The sign-in side of the dashboard over the store: links, sessions, sign-out. */
export interface DashboardAuth extends DashboardLinks {
  /** Uses a link's token: a new session's secret token and its grant, or null (unknown, expired, used). */
  redeem(token: string): Promise<{ session: string; grant: DashboardGrant } | null>;
  /** The live session of a session token, or undefined. */
  session(token: string | undefined): Promise<DashboardSession | undefined>;
  /** Ends the session of a token (sign-out). */
  end(token: string): Promise<void>;
  readonly sessionMs: number;
}

/** Where sign-in links point: the dashboard's sign-in page under the public base URL. */
export const signInUrl = (baseUrl: string, token: string): string =>
  new URL(`/dashboard/sign-in?t=${encodeURIComponent(token)}`, baseUrl).toString();

/**
 * Sign-in links and sessions kept in the store (hashes of their tokens only), so any worker can
 * check them and a restart signs nobody out.
 */
export function createDashboardAuth(options: {
  store: DashboardStateStore;
  baseUrl: string;
  sessionMs: number;
  now: () => number;
}): DashboardAuth {
  const { store, now } = options;
  return {
    minutes: SIGN_IN_TTL_MS / 60_000,
    sessionMs: options.sessionMs,
    async link(grant) {
      const token = newToken();
      const at = now();
      // Old links and sessions go when new ones are made: no timer is needed for the table to stay small.
      await store.pruneDashboard(at);
      await store.createDashboardSignIn(hashToken(token), grant, at, at + SIGN_IN_TTL_MS);
      return signInUrl(options.baseUrl, token);
    },
    async redeem(token) {
      if (!looksLikeToken(token)) return null;
      const at = now();
      const grant = await store.redeemDashboardSignIn(hashToken(token), at);
      if (!grant) return null;
      const session = newToken();
      await store.createDashboardSession(hashToken(session), grant, at, at + options.sessionMs);
      return { session, grant };
    },
    session: async (token) => (looksLikeToken(token) ? store.dashboardSession(hashToken(token), now()) : undefined),
    async end(token) {
      if (looksLikeToken(token)) await store.endDashboardSession(hashToken(token));
    },
  };
}
