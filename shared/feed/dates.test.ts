import { describe, expect, it } from 'vitest';
import { parseFeedDate } from './dates';

describe('parseFeedDate', () => {
  it.each([
    ['Tue, 10 Jun 2003 04:00:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['Tue, 10 Jun 2003 04:00:00 +0200', '2003-06-10T02:00:00.000Z'],
    ['Sun, 10 Dec 17 13:01:36 -0800', '2017-12-10T21:01:36.000Z'],
    ['10 Jun 2003 04:00 EDT', '2003-06-10T08:00:00.000Z'],
    ['Wed, 01 Sept 2021 12:00:00 CEST', '2021-09-01T10:00:00.000Z'],
    ['2017-06-15T10:29:47-07:00', '2017-06-15T17:29:47.000Z'],
    ['2024-05-01T10:00:00.123Z', '2024-05-01T10:00:00.123Z'],
    ['2024-05-01 10:00:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01', '2024-05-01T00:00:00.000Z'],
    ['2024-05', '2024-05-01T00:00:00.000Z'],
  ])('%s', (input, iso) => expect(parseFeedDate(input)).toBe(iso));

  it.each(['', 'not a date', '1518478934', '0000-00-00', '9999-12-31T00:00:00Z'])('gives nothing for %j', (input) =>
    expect(parseFeedDate(input)).toBeUndefined(),
  );
});
