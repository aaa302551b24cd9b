import { capReached } from '../../shared/curation';
import { MessageSchema } from '../../shared/message/message';
import type { Delivery } from '../store/types';
import { SinkError } from './sinks/types';
import type { ChannelRegistry, EngineDeps } from './types';

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
 * Resolves rows a crash left in `sending` (claimed, outcome not recorded). An idempotent sink, or
 * the `resend` policy (the default: never lose a post), sends them again flagged `inDoubt`; the
 * `skip` policy records them as sent (never repeat a post, at the risk of losing one).
 */
export async function recoverInDoubt(deps: EngineDeps, channels: ChannelRegistry): Promise<number> {
  const rows = await deps.store.inDoubtDeliveries();
  const now = deps.clock.now().getTime();
  for (const row of rows) {
    const sink = deps.sinks.get(channels.get(row.channelId)?.channel.sink ?? '');
    const resend = sink?.idempotent === true || deps.settings.inDoubt === 'resend';
    deps.log.warn({ delivery: row.id, channel: row.channelId, action: resend ? 'resend' : 'skip' }, IN_DOUBT);
    if (resend) await deps.store.markFailed(row.id, IN_DOUBT, now);
    else await deps.store.markSent(row.id, now, null);
  }
  return rows.length;
}

async function deliverOne(row: Delivery, deps: EngineDeps, channels: ChannelRegistry, report: DeliveryReport): Promise<void> {
  const { store, clock, log, metrics } = deps;
  const now = clock.now().getTime();
  const channel = channels.get(row.channelId);
  if (!channel) {
    await store.markFailed(row.id, `channel ${row.channelId} is no longer configured`, null);
    report.failed++;
    return;
  }
  const sink = deps.sinks.get(channel.channel.sink);
  if (!sink) {
    // The platform is not configured in this run (no token): leave the row for a run that has it.
    await store.deferDelivery(row.id, now + HOUR);
    report.deferred++;
    return;
  }
  const caps = channel.rules.rules.caps;
  if (caps.perHour !== undefined || caps.perDay !== undefined) {
    const [hour, day] = await Promise.all([store.countSentSince(row.channelId, now - HOUR), store.countSentSince(row.channelId, now - 24 * HOUR)]);
    const full = capReached(caps, hour, day);
    if (full) {
      await store.deferDelivery(row.id, now + (full === 'hour' ? 5 * 60_000 : HOUR));
      metrics?.deliveries.inc({ sink: sink.name, result: 'deferred' });
      report.deferred++;
      return;
    }
  }
  const message = MessageSchema.safeParse(row.message);
  if (!message.success) {
    await store.markFailed(row.id, 'stored message is not valid', null);
    report.failed++;
    return;
  }
  if (!(await store.claimDelivery(row.id, now))) return; // another worker has it
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
    await store.markFailed(row.id, (error as Error).message, giveUp ? null : now + retryDelayMs(attempts, retryAfterMs));
    metrics?.deliveries.inc({ sink: sink.name, result: giveUp ? 'failed' : 'retry' });
    log.warn({ delivery: row.id, channel: row.channelId, attempts, giveUp, err: (error as Error).message }, 'send failed');
    if (giveUp) report.failed++;
    else report.retried++;
    return;
  }
  // The crash window: the post has left, its mark is not yet committed. Nothing else runs here.
  deps.failpoint?.('after-send');
  await store.markSent(row.id, clock.now().getTime(), remoteId);
  metrics?.deliveries.inc({ sink: sink.name, result: 'sent' });
  report.sent++;
}

/**
 * Sends due outbox rows: claim (pending → sending), send, mark sent — the mark committed right
 * after the platform answers. Failures retry with backoff; caps defer without losing anything.
 */
export async function deliverPending(deps: EngineDeps, channels: ChannelRegistry, options: { batch?: number; signal?: AbortSignal } = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0, deferred: 0 };
  const batch = options.batch ?? 100;
  for (;;) {
    const rows = await deps.store.pendingDeliveries(deps.clock.now().getTime(), batch);
    for (const row of rows) {
      if (options.signal?.aborted) return report;
      await deliverOne(row, deps, channels, report);
    }
    if (rows.length < batch) return report;
  }
}
