import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { errorMessage } from '../../shared/errors';
import { PG_PROBE } from '../support/outside';

/**
 * The real PostgreSQL the tests run against: SCIPOP_TEST_PG, else the local server (127.0.0.1:5432,
 * database `test`). When neither answers, test/support/global-setup.ts starts one of our own and
 * sets SCIPOP_TEST_PG to it. There is no skip: a test that needs PostgreSQL fails, with this URL in
 * the message, when the server cannot be reached.
 */
export const TEST_PG_URL = process.env.SCIPOP_TEST_PG || `postgres://postgres@${PG_PROBE}/test`;

/** A schema of its own for one test (or one run), so parallel runs never see each other's rows. */
export interface TestSchema {
  schema: string;
  /** TEST_PG_URL with `?schema=` set, as an operator would write SCIPOP_DB. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh, unused schema name (on `base`, TEST_PG_URL by default); the schema itself is created by the store's migration. */
export async function createTestSchema(base = TEST_PG_URL): Promise<TestSchema> {
  const schema = `scipop_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(async () => undefined, base); // fail here, loudly, if the server is down
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return {
    schema,
    url: url.toString(),
    drop: () => withAdmin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(() => undefined), base),
  };
}

/** Runs `work` on a short-lived connection to the test database (TEST_PG_URL, or `base`). */
export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>, base = TEST_PG_URL): Promise<T> {
  const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${base} (set SCIPOP_TEST_PG): ${errorMessage(error)}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
