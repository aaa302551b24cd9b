import type { TableReader } from '../store/legacy-state';
import type { PlatformStateSnapshot, QueuePost, StoredWebhook } from '../store/platform-types';
import { legacyPaused, pausedDestinations } from '../platform/paused';
import { definePlatformState } from '../platform/types';

export type { QueuePost } from '../store/platform-types';

/** A Discord channel the bot stopped posting to after a 403 or 404. */
export interface PausedDestination {
  channelId: string;
  reason: string;
  pausedAt: number;
}

/**
 * What the Discord side keeps between runs, in the Store, so every worker sees it: paused
 * destinations, the queue posts already shown to moderators (so neither a restart nor another
 * worker repeats them), and the webhooks the bot made for webhook delivery (one per channel).
 */
export interface DiscordState {
  pause(channelId: string, reason: string, now: number): Promise<boolean>;
  resume(channelId: string): Promise<boolean>;
  paused(channelId: string): Promise<PausedDestination | undefined>;
  allPaused(): Promise<PausedDestination[]>;
  recordQueuePost(post: QueuePost, now: number): Promise<void>;
  queuePost(deliveryId: string): Promise<QueuePost | undefined>;
  /** Queue posts whose buttons are still live (no decision seen yet). */
  openQueuePosts(): Promise<QueuePost[]>;
  /** Marks a queue post decided: its buttons are gone. */
  closeQueuePost(deliveryId: string): Promise<boolean>;
  /** Keeps a webhook unless another worker stored one for the channel first; returns the one kept. */
  saveWebhook(channelId: string, hook: StoredWebhook): Promise<StoredWebhook>;
  webhook(channelId: string): Promise<StoredWebhook | undefined>;
  /** Forgets a deleted webhook (only if it is still the channel's). */
  forgetWebhook(channelId: string, id: string): Promise<void>;
}

const P = 'discord';

/** The Discord state over the Store (see definePlatformState). */
export const createDiscordState = definePlatformState((store, after): DiscordState => {
  return {
    ...pausedDestinations(store, P, 'channelId', after),
    recordQueuePost: after((post: QueuePost, now: number) => store.recordQueuePost(P, post, now)),
    queuePost: after((id: string) => store.queuePost(P, id)),
    openQueuePosts: after(() => store.openQueuePosts(P)),
    closeQueuePost: after((id: string) => store.closeQueuePost(P, id)),
    saveWebhook: after((channelId: string, hook: StoredWebhook) => store.saveWebhook(P, channelId, hook)),
    webhook: after((channelId: string) => store.webhook(P, channelId)),
    forgetWebhook: after(async (channelId: string, id: string) => void (await store.forgetWebhook(P, channelId, id))),
  };
});

/** Reads the tables of the per-process state file SciPop kept before the state moved into the Store. */
export function readDiscordStateFile(table: TableReader): PlatformStateSnapshot {
  return {
    paused: legacyPaused(table('paused'), 'channel_id'),
    journal: [],
    moves: [],
    held: [],
    summaries: [],
    // Files from before the `closed` column read every queue post as open, as that version did.
    queuePosts: table('queue_posts').map((r) => ({
      deliveryId: String(r.delivery_id),
      channelId: String(r.channel_id),
      messageId: String(r.message_id),
      closed: Number(r.closed ?? 0) === 1,
    })),
    webhooks: table('webhooks').map((r) => ({
      channelId: String(r.channel_id),
      id: String(r.id),
      token: String(r.token),
    })),
  };
}
