import { describe, expect, it } from 'vitest';
import type { Message } from '../message/message';
import { renderPlainText } from '../message/plain-text';
import { bigDigest } from '../../test/support/big-digest';
import { digestMessages } from './split';

const fitsPlain = (limit: number) => (m: Message) => renderPlainText(m).length <= limit;

describe('digestMessages', () => {
  it('is one message with no part number when everything fits', () => {
    const [only, ...rest] = digestMessages(bigDigest(3), fitsPlain(4096), { heading: 'Science digest', from: 'Chan' });
    expect(rest).toEqual([]);
    expect(only!.title).toBe('Science digest');
    expect(only!.summary).toBe('3 stories from 4 sources');
    expect(only!.digest).toMatchObject({ part: 1, parts: 1 });
  });

  it('cuts a long digest into numbered parts that each fit, stories in order, numbering running on', () => {
    const parts = digestMessages(bigDigest(40), fitsPlain(4096), {
      heading: 'Science digest',
      from: 'Chan',
      late: 'Late.',
    });
    expect(parts.length).toBeGreaterThan(2);
    parts.forEach((p, i) => {
      expect(renderPlainText(p).length).toBeLessThanOrEqual(4096);
      expect(p.title).toBe(`Science digest (${i + 1}/${parts.length})`);
      expect(p.digest).toMatchObject({ part: i + 1, parts: parts.length });
    });
    const numbers = parts.flatMap((p) => p.digest!.sections.flatMap((s) => s.lines.map((l) => l.n)));
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // The late notice and the count are said once, on the first part.
    expect(parts.map((p) => p.digest!.late ?? null)).toEqual(['Late.', ...parts.slice(1).map(() => null)]);
    expect(parts.slice(1).every((p) => p.summary === '')).toBe(true);
    // A section cut between parts keeps its heading on the next one.
    const second = parts[1]!.digest!.sections[0]!;
    expect(second.heading).toBe(parts[0]!.digest!.sections.at(-1)!.heading);
  });

  it('shortens a line too long for a part alone (term first, then title), never dropping the story', () => {
    const parts = digestMessages(bigDigest(2, 5000), fitsPlain(300), { heading: 'D', from: 'C' });
    const lines = parts.flatMap((p) => p.digest!.sections.flatMap((s) => s.lines));
    expect(lines.map((l) => l.n)).toEqual([1, 2]);
    expect(lines.every((l) => l.term === undefined && l.title.endsWith('…'))).toBe(true);
    parts.forEach((p) => expect(renderPlainText(p).length).toBeLessThanOrEqual(300));
  });

  it('says so when there is nothing to send', () => {
    const [only] = digestMessages({ stories: [], sections: [], considered: 0, storyCount: 0 }, fitsPlain(4096), {
      heading: 'D',
      from: 'C',
    });
    expect(only!.summary).toBe('Nothing new since the last digest.');
    expect(renderPlainText(only!)).toBe('D\nC · Nothing new since the last digest.');
  });
});
