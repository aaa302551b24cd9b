import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { errorMessage } from '../../shared/errors';

/**
 * The real local PostgreSQL the tests run against (CI has one too). SCIPOP_TEST_PG overrides the
 * URL. There is no skip: a test that needs PostgreSQL fails, with this URL in the message, when the
 * server cannot be reached.
 */
export const TEST_PG_URL = process.env.SCIPOP_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of its own for one test (or one run), so parallel runs never see each other's rows. */
export interface TestSchema {
  schema: string;
  /** TEST_PG_URL with `?schema=` set, as an operator would write SCIPOP_DB. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh, unused schema name; the schema itself is created by the store's migration. */
export async function createTestSchema(): Promise<TestSchema> {
  const schema = `scipop_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(async () => undefined); // fail here, loudly, if the server is down
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('schema', schema);
  return {
    schema,
    url: url.toString(),
    drop: () => withAdmin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(() => undefined)),
  };
}

/** Runs `work` on a short-lived connection to the test database. */
export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${TEST_PG_URL} (set SCIPOP_TEST_PG): ${errorMessage(error)}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
