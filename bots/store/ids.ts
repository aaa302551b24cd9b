import { randomBytes } from 'node:crypto';

let last = 0;
let seq = 0;

/**
 * A row id that sorts by creation: milliseconds, a per-process sequence, then randomness so ids
 * from several workers never collide. Outbox rows written in one commit keep their order.
 */
export function newId(now: number = Date.now()): string {
  if (now === last) seq++;
  else {
    last = now;
    seq = 0;
  }
  return `${now.toString(36).padStart(9, '0')}${seq.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}
