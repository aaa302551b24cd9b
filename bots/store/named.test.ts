import { describe, expect, it } from 'vitest';
import { bind, query } from './named';
import { DASHBOARD_SQL } from './dashboard-state';
import { DIGEST_SQL } from './digests';
import { GLOSSARY_SQL } from './glossary-state';
import type { Query } from './named';
import { PLATFORM_SQL } from './platform-state';
import { Q, SQL } from './queries';
import { SUBSCRIPTION_SQL } from './subscriptions';

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

  it('leaves no positional parameter in the stores’ SQL: every query with parameters names them', () => {
    const maps = { SQL, Q, PLATFORM_SQL, GLOSSARY_SQL, DASHBOARD_SQL, SUBSCRIPTION_SQL, DIGEST_SQL };
    for (const [map, queries] of Object.entries(maps))
      for (const [name, q] of Object.entries(queries as Record<string, string | Query<object>>)) {
        const sql = typeof q === 'string' ? q : q.sql;
        const named = typeof q === 'string' ? 0 : q.names.length;
        expect({ query: `${map}.${name}`, positional: sql.split('?').length - 1 - named }).toEqual({
          query: `${map}.${name}`,
          positional: 0,
        });
      }
  });
});
