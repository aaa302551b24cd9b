import { buildDigest, type Digest, type DigestCandidate } from '../../shared/digest/build';
import type { DigestConfig } from '../../shared/digest/config';
import { digestHeading } from '../../shared/digest/headings';
import { digestMessages, LATE_AFTER_MS, lateNotice } from '../../shared/digest/split';
import { MessageSchema, type Message } from '../../shared/message/message';
import { renderPlainText } from '../../shared/message/plain-text';
import type { TermGlossary, TermInfo } from '../../shared/message/terms';
import type { CompiledChannel } from '../engine/channels';
import type { Clock, EngineLogger } from '../engine/ports';
import type { Sink } from '../engine/sinks/types';
import type { Store } from '../store/types';
import { digestSchedule, PERIOD_MS } from './schedule';

/**
 * A channel's first digest is made only this close after its time: a digest configured at 10:00
 * for 08:00 starts the next morning, not with a "late" one at once.
 */
export const FIRST_DIGEST_WITHIN_MS = 10 * 60_000;
/** Posts a digest looks at, at most (the newest are kept when there are more). */
const MAX_CANDIDATES = 5000;

/** What composing digests uses. */
export interface DigestDeps {
  store: Pick<Store, 'digestCandidates' | 'lastDigest' | 'commitDigest'>;
  sinks: ReadonlyMap<string, Sink>;
  glossary?: TermGlossary;
  clock: Clock;
  log: EngineLogger;
  /** Test-only failpoint hook (SCIPOP_FAILPOINT `after-digest:N`): right after a digest's commit. */
  failpoint?: (point: 'after-digest') => void;
}

/** A channel's digest as it stands at `now`: its parts, and what it was made from. */
export interface DigestDraft {
  slotAt: number;
  sinceAt: number;
  late: boolean;
  digest: Digest;
  parts: Message[];
}

/** Fits a part within 4,096 characters of plain text, for sinks that say nothing of their own. */
const fitsPlain = (part: Message) => renderPlainText(part).length <= 4096;

/** `08:00 Asia/Shanghai`: when a digest is due, as its channel's readers say it. */
const dueText = (config: DigestConfig) => `${config.at} ${config.timezone}`;

/**
 * Builds a channel's digest for the scheduled time `slotAt` from the posts its rules passed since
 * `sinceAt` (up to `slotAt`), cut into parts that fit its platform. Nothing is written.
 */
export async function draftDigest(
  deps: {
    store: Pick<Store, 'digestCandidates'>;
    sinks: ReadonlyMap<string, Pick<Sink, 'fitsDigest'>>;
    /** A term's level and fields (TermGlossary.entry): specialism and the story's field. */
    entry?: (id: string, lang: string) => TermInfo | undefined;
  },
  channel: Pick<CompiledChannel, 'channel' | 'digest'>,
  slotAt: number,
  sinceAt: number,
  late: boolean,
): Promise<DigestDraft> {
  const config = channel.digest!;
  const rows = await deps.store.digestCandidates(channel.channel.id, sinceAt, slotAt, MAX_CANDIDATES);
  const candidates: DigestCandidate[] = [];
  for (const row of rows) {
    const message = MessageSchema.safeParse(row.message);
    if (message.success && !message.data.digest)
      candidates.push({ id: row.id, sourceId: row.sourceId, message: message.data, at: row.createdAt });
  }
  const lang = channel.channel.lang ?? 'en';
  const digest = buildDigest(candidates, {
    lang,
    now: slotAt,
    since: sinceAt,
    size: config.size,
    ...(deps.entry ? { entry: deps.entry } : {}),
  });
  const sink = deps.sinks.get(channel.channel.sink);
  const parts = digestMessages(digest, sink?.fitsDigest ?? fitsPlain, {
    heading: digestHeading(slotAt, config.timezone, config.every, lang),
    from: channel.channel.title,
    due: dueText(config),
    lang,
    ...(late ? { late: lateNotice(dueText(config), lang) } : {}),
  });
  return { slotAt, sinceAt, late, digest, parts };
}

/** The scheduled time a channel owes a digest for at `now`, and where its stories start; null when none is owed. */
export async function owedDigest(
  store: Pick<Store, 'lastDigest'>,
  channel: Pick<CompiledChannel, 'channel' | 'digest'>,
  now: number,
): Promise<{ slotAt: number; sinceAt: number; late: boolean; first: boolean } | null> {
  const config = channel.digest;
  if (!config) return null;
  const slotAt = digestSchedule(config).latest(now);
  if (slotAt === null) return null;
  const last = await store.lastDigest(channel.channel.id);
  if (last && last.slotAt >= slotAt) return null;
  if (!last && now - slotAt > FIRST_DIGEST_WITHIN_MS) return null;
  // However many times were missed, one digest covers them all, since the last one sent.
  const sinceAt = last?.slotAt ?? slotAt - PERIOD_MS[config.every];
  return { slotAt, sinceAt, late: now - slotAt > LATE_AFTER_MS, first: !last };
}

/**
 * Makes the digests that are due: for each channel with a digest whose latest scheduled time has
 * none recorded yet, builds it and commits it with its parts as outbox rows in one transaction.
 * Any number of workers may run this at once, and a run may crash anywhere: the store records one
 * digest per channel and time, so each is sent once (delivery then sends its parts in order).
 * A time missed while the bots were down gets one late digest, which says so. `quiet` (kept by
 * the caller between calls) remembers until when each channel owes nothing, so a loop calling this
 * every second asks the store once per scheduled time. Returns how many digests this call committed.
 */
export async function composeDueDigests(
  deps: DigestDeps,
  channels: readonly CompiledChannel[],
  quiet?: Map<string, number>,
): Promise<number> {
  const now = deps.clock.now().getTime();
  const glossary = deps.glossary;
  let made = 0;
  for (const channel of channels) {
    if (!channel.digest) continue;
    // Nothing owed until the channel's next time (for these settings): no need to ask the store.
    const key = `${channel.channel.id}\u0000${JSON.stringify(channel.digest)}`;
    if ((quiet?.get(key) ?? 0) > now) continue;
    const owed = await owedDigest(deps.store, channel, now);
    if (!owed) {
      quiet?.set(key, digestSchedule(channel.digest).next(now) ?? now);
      continue;
    }
    const draft = await draftDigest(
      { store: deps.store, sinks: deps.sinks, ...(glossary ? { entry: glossary.entry.bind(glossary) } : {}) },
      channel,
      owed.slotAt,
      owed.sinceAt,
      owed.late,
    );
    // A digest with no story records its time (so it is not built again) and sends nothing.
    const parts = draft.digest.stories.length > 0 ? draft.parts : [];
    const committed = await deps.store.commitDigest(
      {
        channelId: channel.channel.id,
        slotAt: owed.slotAt,
        sinceAt: owed.first ? null : owed.sinceAt,
        stories: draft.digest.stories.length,
        late: owed.late,
        parts,
      },
      now,
    );
    if (!committed) continue;
    deps.failpoint?.('after-digest');
    made++;
    deps.log.info(
      {
        channel: channel.channel.id,
        due: new Date(owed.slotAt).toISOString(),
        stories: draft.digest.stories.length,
        parts: parts.length,
        late: owed.late,
      },
      parts.length > 0 ? 'digest queued' : 'digest due with nothing new: nothing sent',
    );
  }
  return made;
}
