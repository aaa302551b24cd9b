import { LATE_AFTER_MS, lateNotice } from '../../shared/digest/split';
import { capReached } from '../../shared/curation';
import { MessageSchema } from '../../shared/message/message';
import type { Delivery } from '../store/types';
import { SinkError } from './sinks/types';
import type { ChannelRegistry, DeliveryDeps } from './types';
import { errorMessage } from '../../shared/errors';

const HOUR = 3_600_000;
const IN_DOUBT = 'in doubt: the previous run stopped between sending and recording';

/** What one delivery pass did. */
export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
  deferred: number;
}

/** Backoff for a failed send: 30 s doubling per attempt, at most an hour, or the platform's wait. */
export function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  return Math.max(Math.min(30_000 * 2 ** Math.max(0, attempts - 1), HOUR), retryAfterMs ?? 0);
}

/**
 * Resolves rows a dead worker left in `sending` (claimed, outcome not recorded): those whose
 * claimer has not beaten since `aliveSince` (a crashed earlier run, or another worker that died).
 * An idempotent sink, or the `resend` policy (the default: never lose a post), sends them again
 * flagged `inDoubt`; the `skip` policy records them as sent (never repeat a post, at the risk of
 * losing one). Each row is resolved by one worker only; returns how many this one resolved.
 */
export async function recoverInDoubt(
  deps: DeliveryDeps,
  channels: ChannelRegistry,
  aliveSince: number,
): Promise<number> {
  const rows = await deps.store.inDoubtDeliveries(aliveSince);
  const now = deps.clock.now().getTime();
  let resolved = 0;
  for (const row of rows) {
    const sink = deps.sinks.get(channels.get(row.channelId)?.channel.sink ?? '');
    const resend = sink?.idempotent === true || deps.settings.inDoubt === 'resend';
    if (!(await deps.store.resolveInDoubt(row.id, row.claimedBy, resend ? 'resend' : 'skip', IN_DOUBT, now))) continue;
    resolved++;
    deps.log.warn(
      { delivery: row.id, channel: row.channelId, worker: row.claimedBy, action: resend ? 'resend' : 'skip' },
      IN_DOUBT,
    );
  }
  return resolved;
}

/** Delivers one row; false when the rest of its channel must wait (deferred or retrying later). */
async function deliverOne(
  row: Delivery,
  deps: DeliveryDeps,
  channels: ChannelRegistry,
  report: DeliveryReport,
  owner: string | undefined,
): Promise<boolean> {
  const { store, clock, log, metrics } = deps;
  const now = clock.now().getTime();
  const channel = channels.get(row.channelId);
  if (!channel) {
    await store.markFailed(row.id, `channel ${row.channelId} is no longer configured`, null);
    report.failed++;
    return true;
  }
  const sink = deps.sinks.get(channel.channel.sink);
  if (!sink) {
    // The platform is not configured in this run (no token): leave the row for a run that has it.
    await store.deferDelivery(row.id, now + HOUR, `no ${channel.channel.sink} sink in this run (is its token set?)`);
    report.deferred++;
    return false;
  }
  const caps = channel.rules.rules.caps;
  // A digest's parts are the channel's cadence, not posts: caps never hold them back.
  const isDigest = row.itemId === null;
  if (!isDigest && (caps.perHour !== undefined || caps.perDay !== undefined)) {
    const [hour, day] = await Promise.all([
      store.countSentSince(row.channelId, now - HOUR),
      store.countSentSince(row.channelId, now - 24 * HOUR),
    ]);
    const full = capReached(caps, hour, day);
    if (full) {
      const note =
        full === 'hour'
          ? `over the channel's cap of ${caps.perHour} post(s) an hour`
          : `over the channel's cap of ${caps.perDay} post(s) a day`;
      await store.deferDelivery(row.id, now + (full === 'hour' ? 5 * 60_000 : HOUR), note);
      metrics?.deliveries.inc({ sink: sink.name, result: 'deferred' });
      report.deferred++;
      return false;
    }
  }
  const message = MessageSchema.safeParse(row.message);
  if (!message.success) {
    await store.markFailed(row.id, 'stored message is not valid', null);
    report.failed++;
    return true;
  }
  const digest = message.data.digest;
  // A digest that could not be sent on time (the network was down) says so when it goes out.
  if (digest && digest.part === 1 && !digest.late && digest.due && now - row.createdAt > LATE_AFTER_MS)
    message.data.digest = { ...digest, late: lateNotice(digest.due, message.data.chatLang) };
  // False when another worker has the row, or this worker's lease on the channel lapsed.
  if (!(await store.claimDelivery(row.id, now, owner))) return false;
  deps.failpoint?.('after-claim');
  const inDoubt = row.lastError === IN_DOUBT;
  let remoteId: string | null;
  try {
    remoteId = (await sink.send(channel.target, message.data, { deliveryId: row.id, inDoubt })).remoteId;
  } catch (error) {
    const retryable = error instanceof SinkError ? error.retryable : true;
    const attempts = row.attempts + 1;
    const giveUp = !retryable || attempts >= deps.settings.maxAttempts;
    const retryAfterMs = error instanceof SinkError ? error.retryAfterMs : undefined;
    await store.markFailed(row.id, errorMessage(error), giveUp ? null : now + retryDelayMs(attempts, retryAfterMs));
    metrics?.deliveries.inc({ sink: sink.name, result: giveUp ? 'failed' : 'retry' });
    log.warn({ delivery: row.id, channel: row.channelId, attempts, giveUp, err: errorMessage(error) }, 'send failed');
    if (giveUp) report.failed++;
    else report.retried++;
    return giveUp;
  }
  // The crash window: the post has left, its mark is not yet committed. Nothing else runs here.
  deps.failpoint?.('after-send');
  await store.markSent(row.id, clock.now().getTime(), remoteId);
  metrics?.deliveries.inc({ sink: sink.name, result: 'sent' });
  report.sent++;
  return true;
}

/** How often a delivery pass looks again for new rows and destinations while others are being served. */
const REFRESH_MS = 1000;

const moved = (r: DeliveryReport) => r.sent + r.retried + r.failed + r.deferred;

/**
 * Sends due outbox rows: claim (pending → sending), send, mark sent — the mark committed right
 * after the platform answers. Each destination gets one send at a time, in order (a post that
 * must wait holds back the later ones of its channel: see pendingDeliveries). Up to
 * `channelConcurrency` destinations are served at once, each in its own slot: a destination its
 * platform throttles holds one slot, never the others, and every second the pass looks again for
 * rows of destinations not being served (new posts, a destination just taken over from a dead
 * worker). Failures retry with backoff; caps defer without losing anything. Returns when nothing
 * is due, or nothing moved (every head claimed elsewhere, or this worker's lease lapsed).
 */
export async function deliverPending(
  deps: DeliveryDeps,
  channels: ChannelRegistry,
  options: { batch?: number; signal?: AbortSignal; owner?: string } = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0, deferred: 0 };
  const batch = options.batch ?? 200;
  const slots = Math.max(1, deps.settings.channelConcurrency);
  const serving = new Map<string, Promise<void>>();
  const serve = (rows: Delivery[]) => async () => {
    for (const row of rows) {
      if (options.signal?.aborted) return;
      if (!(await deliverOne(row, deps, channels, report, options.owner))) return; // keep the channel's order
    }
  };
  try {
    while (!options.signal?.aborted) {
      const before = moved(report);
      // With an owner: only the destinations this worker holds (see workers.ts).
      const rows = await deps.store.pendingDeliveries(deps.clock.now().getTime(), batch, options.owner);
      const queues = new Map<string, Delivery[]>();
      for (const row of rows) {
        if (serving.has(row.channelId)) continue;
        const queue = queues.get(row.channelId);
        if (queue) queue.push(row);
        else queues.set(row.channelId, [row]);
      }
      for (const [channelId, queue] of queues) {
        if (serving.size >= slots) break;
        serving.set(
          channelId,
          serve(queue)().finally(() => serving.delete(channelId)),
        );
      }
      if (serving.size === 0) return report;
      // A slot frees, or a second passes: look again.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        ...serving.values(),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, REFRESH_MS))),
      ]);
      clearTimeout(timer);
      // Everything finished and nothing moved: the heads are claimed elsewhere, or the lease lapsed.
      if (serving.size === 0 && moved(report) === before) return report;
    }
    return report;
  } finally {
    await Promise.allSettled(serving.values());
  }
}
