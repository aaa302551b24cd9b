import { DigestConfigSchema, type DigestConfig } from '../../shared/digest/config';
import { zonedParts } from '../../shared/digest/headings';
import type { Message } from '../../shared/message/message';
import type { TermInfo } from '../../shared/message/terms';
import { loadBundledPacks } from '../glossary/bundled';
import type { Sink } from '../engine/sinks/types';
import type { Channel, Store } from '../store/types';
import { draftDigest } from './compose';
import { digestSchedule, PERIOD_MS } from './schedule';

/** `08:00 Tuesday 8 December (Asia/Shanghai)`: when a digest is due, in its channel's time zone. */
export function dueText(at: number, timeZone: string): string {
  const part = zonedParts(at, timeZone, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return `${part('hour')}:${part('minute')} ${part('weekday')} ${part('day')} ${part('month')} (${timeZone})`;
}

/** The next digest of a channel as it stands now. */
export interface DigestPreview {
  /** The digest settings used: the channel's, or the defaults when it has none (`configured` false). */
  config: DigestConfig;
  configured: boolean;
  /** When it is due (epoch ms). */
  dueAt: number;
  stories: number;
  parts: Message[];
}

let entries: ((id: string, lang: string) => TermInfo | undefined) | null = null;

/** Looks terms up in the bundled packs (their level and fields), loaded once. */
function bundledEntry(id: string, lang: string): TermInfo | undefined {
  if (!entries) {
    const byKey = new Map<string, TermInfo>();
    for (const { pack } of loadBundledPacks()) for (const e of pack.entries) byKey.set(`${pack.lang}\u0000${e.id}`, e);
    entries = (i, l) => byKey.get(`${l}\u0000${i}`);
  }
  return entries(id, lang);
}

/**
 * The channel's next digest as it would be built if it were due now: the posts since its last
 * digest (or one period back), ranked and cut into parts for `sink` (plain text when absent).
 * Nothing is written. A channel without digest settings is shown with the defaults.
 */
export async function previewDigest(
  store: Pick<Store, 'digestCandidates' | 'lastDigest'>,
  channel: Channel,
  now: number,
  options: { sink?: Pick<Sink, 'fitsDigest'>; entry?: (id: string, lang: string) => TermInfo | undefined } = {},
): Promise<DigestPreview> {
  const parsed = DigestConfigSchema.safeParse(channel.digest ?? {});
  const configured = channel.digest !== undefined && channel.digest !== null && parsed.success;
  const config = parsed.success ? parsed.data : DigestConfigSchema.parse({});
  const dueAt = digestSchedule(config).next(now) ?? now;
  const last = await store.lastDigest(channel.id);
  const sinceAt = last?.slotAt ?? dueAt - PERIOD_MS[config.every];
  const entry = options.entry ?? bundledEntry;
  const sinks = new Map(options.sink ? [[channel.sink, options.sink]] : []);
  const draft = await draftDigest({ store, sinks, entry }, { channel, digest: config }, dueAt, sinceAt, false);
  return { config, configured, dueAt, stories: draft.digest.stories.length, parts: draft.parts };
}
