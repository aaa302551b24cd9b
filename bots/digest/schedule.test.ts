import { describe, expect, it } from 'vitest';
import { DigestConfigSchema } from '../../shared/digest/config';
import { digestSchedule } from './schedule';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const daily = (at: string, timezone: string) => digestSchedule(DigestConfigSchema.parse({ at, timezone }));

describe('digestSchedule', () => {
  it('runs daily at 08:00 Shanghai (00:00 UTC) on both sides of New York’s and Berlin’s DST changes', () => {
    const s = daily('08:00', 'Asia/Shanghai');
    // New York leaves DST on 1 November 2026, Berlin on 25 October: Shanghai has none.
    let t = Date.parse('2026-10-23T12:00:00Z');
    const runs: (string | null)[] = [];
    for (let i = 0; i < 12; i++) {
      const next = s.next(t)!;
      runs.push(iso(next));
      t = next;
    }
    expect(runs).toEqual(
      Array.from({ length: 12 }, (_, i) => iso(Date.parse('2026-10-24T00:00:00Z') + i * 86_400_000)),
    );
  });

  it('follows a zone’s own DST change: 08:00 Berlin is 07:00 UTC in winter, 06:00 in summer', () => {
    const s = daily('08:00', 'Europe/Berlin');
    expect(iso(s.next(Date.parse('2026-03-28T12:00:00Z')))).toBe('2026-03-29T06:00:00.000Z');
    expect(iso(s.next(Date.parse('2026-03-27T12:00:00Z')))).toBe('2026-03-28T07:00:00.000Z');
  });

  it('runs once on a night DST skips or repeats the time', () => {
    const s = daily('02:30', 'Europe/Berlin');
    // 29 March 2026: 02:00 → 03:00 in Berlin; 02:30 does not exist.
    const spring = s.next(Date.parse('2026-03-28T12:00:00Z'))!;
    expect(iso(spring)).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST, the first minute after
    expect(iso(s.next(spring))).toBe('2026-03-30T00:30:00.000Z');
    // 25 October 2026: 02:30 happens twice; the digest goes once.
    const autumn = s.next(Date.parse('2026-10-24T12:00:00Z'))!;
    expect(iso(autumn)).toBe('2026-10-25T00:30:00.000Z'); // the first 02:30 (CEST)
    expect(iso(s.next(autumn))).toBe('2026-10-26T01:30:00.000Z');
  });

  it('gives the latest time at or before now (the slot a late start still owes)', () => {
    const s = daily('08:00', 'Asia/Shanghai');
    expect(iso(s.latest(Date.parse('2026-12-07T00:00:00Z')))).toBe('2026-12-07T00:00:00.000Z');
    expect(iso(s.latest(Date.parse('2026-12-06T23:59:59Z')))).toBe('2026-12-06T00:00:00.000Z');
  });

  it('runs weekly on the configured day', () => {
    const s = digestSchedule(
      DigestConfigSchema.parse({ every: 'weekly', day: 'friday', at: '18:00', timezone: 'UTC' }),
    );
    expect(s.pattern).toBe('0 18 * * 5');
    expect(iso(s.next(Date.parse('2026-12-07T00:00:00Z')))).toBe('2026-12-11T18:00:00.000Z');
  });
});

describe('DigestConfigSchema', () => {
  it('fills in the defaults', () => {
    expect(DigestConfigSchema.parse({})).toEqual({
      every: 'daily',
      day: 'monday',
      at: '08:00',
      timezone: 'UTC',
      size: 10,
      mode: 'digest-only',
    });
  });
  it('says what is wrong with a bad time or time zone', () => {
    const r = DigestConfigSchema.safeParse({ at: '8am', timezone: 'Asia/Shanghia', every: 'hourly' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).sort()).toEqual([
      'at: must be a 24-hour time as HH:MM, such as "08:00"',
      'every: Invalid option: expected one of "daily"|"weekly"',
      'timezone: unknown time zone "Asia/Shanghia": use an IANA name such as "Asia/Shanghai", "Europe/Berlin" or "UTC"',
    ]);
  });
});
