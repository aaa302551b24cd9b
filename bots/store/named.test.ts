import { describe, expect, it } from 'vitest';
import { bind, query } from './named';
import { Q, SQL } from './queries';

describe('named query parameters', () => {
  it('maps names to positions, repeats included, and leaves literals and casts alone', () => {
    const q = query<{ owner: string; now: number }>(
      "SELECT ':not' AS x, a::text FROM t WHERE owner = :owner AND since <= :now AND until > :now",
    );
    expect(bind(q, { owner: 'w1', now: 5 })).toEqual([
      "SELECT ':not' AS x, a::text FROM t WHERE owner = ? AND since <= ? AND until > ?",
      ['w1', 5, 5],
    ]);
  });

  it('refuses a missing parameter by name; null is a value (the "null keeps" fields)', () => {
    expect(() => bind(Q.pruneItems, { before: 1 } as never)).toThrow('query parameter :limit is missing');
    const [, args] = bind(Q.saveFetchState, {
      id: 's',
      url: null,
      etag: null,
      lastModified: null,
      nextFetchAt: 2,
      lastFetchAt: 1,
      lastSuccessAt: null,
      failures: 1,
      lastError: 'HTTP 503',
    });
    expect(args).toEqual([null, null, null, 2, 1, null, 1, 'HTTP 503', 's']);
  });

  it('leaves no positional parameter in the store’s SQL: the queries without names take none', () => {
    for (const [name, sql] of Object.entries(SQL))
      expect({ name, placeholders: sql.includes('?') }).toEqual({ name, placeholders: false });
    for (const [name, q] of Object.entries(Q))
      expect({ name, named: q.names.length > 0 }).toEqual({ name, named: true });
  });
});
