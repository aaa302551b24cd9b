/**
 * The digests' SQL, written once for both stores as plans (plan.ts): which posts a digest is made
 * of, the last digest of a channel, and the one transaction that records a digest with its parts.
 */
import { newId } from './ids';
import { query } from './named';
import { readRows, write, type Plan } from './plan';
import { rowToDelivery, type Row } from './rows';
import type { Delivery, DigestRecord, NewDigest } from './types';

export const DIGEST_SQL = {
  candidates: query<{ channelId: string; since: number; until: number; limit: number }>(
    `SELECT * FROM outbox WHERE channel_id = :channelId AND item_id IS NOT NULL
    AND status IN ('pending', 'sending', 'sent', 'digest') AND created_at > :since AND created_at <= :until
    ORDER BY created_at DESC, id DESC LIMIT :limit`,
  ),
  last: query<{ channelId: string }>(
    `SELECT * FROM digests WHERE channel_id = :channelId ORDER BY slot_at DESC LIMIT 1`,
  ),
  // The primary key (channel, slot) is the claim: of two workers, or a run and its restart, one inserts.
  record: query<{
    channelId: string;
    slotAt: number;
    sinceAt: number | null;
    now: number;
    parts: number;
    stories: number;
    late: number;
  }>(
    `INSERT INTO digests (channel_id, slot_at, since_at, created_at, parts, stories, late)
    VALUES (:channelId, :slotAt, :sinceAt, :now, :parts, :stories, :late) ON CONFLICT (channel_id, slot_at) DO NOTHING`,
  ),
  part: query<{ id: string; channelId: string; message: string; now: number; slotAt: number }>(
    `INSERT INTO outbox (id, item_id, source_id, channel_id, status, message, created_at, not_before, attempts, digest_at)
    VALUES (:id, NULL, '', :channelId, 'pending', :message, :now, :now, 0, :slotAt)`,
  ),
};

const toRecord = (r: Row): DigestRecord => ({
  channelId: String(r.channel_id),
  slotAt: Number(r.slot_at),
  sinceAt: r.since_at === null || r.since_at === undefined ? null : Number(r.since_at),
  createdAt: Number(r.created_at),
  parts: Number(r.parts),
  stories: Number(r.stories),
  late: Number(r.late) === 1,
});

/** See Store.digestCandidates. */
export function* digestCandidatesPlan(
  channelId: string,
  since: number,
  until: number,
  limit: number,
): Plan<Delivery[]> {
  return (yield* readRows(DIGEST_SQL.candidates, { channelId, since, until, limit })).map(rowToDelivery);
}

/** See Store.lastDigest. */
export function* lastDigestPlan(channelId: string): Plan<DigestRecord | undefined> {
  const row = (yield* readRows(DIGEST_SQL.last, { channelId }))[0];
  return row ? toRecord(row) : undefined;
}

/** See Store.commitDigest. Part ids sort by creation (ids.ts), so the parts go out in order. */
export function* commitDigestPlan(d: NewDigest, now: number): Plan<boolean> {
  const recorded = yield* write(DIGEST_SQL.record, {
    channelId: d.channelId,
    slotAt: d.slotAt,
    sinceAt: d.sinceAt,
    now,
    parts: d.parts.length,
    stories: d.stories,
    late: d.late ? 1 : 0,
  });
  if (recorded !== 1) return false;
  for (const message of d.parts)
    yield* write(DIGEST_SQL.part, {
      id: newId(now),
      channelId: d.channelId,
      message: JSON.stringify(message),
      now,
      slotAt: d.slotAt,
    });
  return true;
}
