import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSchema, withAdmin, type TestSchema } from '../../test/store/postgres';
import { createPgPool, inTransaction, migratePostgres, parsePgTarget } from './postgres-sql';
import type pg from 'pg';

// A connection the server ends while a transaction holds it (PostgreSQL restarted, a failover, an
// administrator's pg_terminate_backend) must fail that transaction, not the process: an 'error'
// event nobody listens to is an uncaught exception, which ended a worker with status 1 in a run of
// the PostgreSQL-restart test. Vitest fails the file on any uncaught exception.
describe('a connection ended under a transaction', () => {
  let t: TestSchema;
  let pool: pg.Pool;

  beforeEach(async () => {
    t = await createTestSchema();
    const target = parsePgTarget(t.url);
    pool = createPgPool(target, 2);
    await migratePostgres(pool, target.schema);
  });
  afterEach(async () => {
    await pool.end();
    await t.drop();
  });

  const terminate = (pid: number) =>
    withAdmin((c) => c.query('SELECT pg_terminate_backend($1)', [pid]).then(() => undefined));
  const waitForEnd = (client: pg.PoolClient) =>
    new Promise<void>((resolve) => {
      (client as unknown as NodeJS.EventEmitter).once('end', () => resolve());
    });

  it('rejects that transaction, keeps the process, and the pool goes on with a new connection', async () => {
    let pid = 0;
    const failed = inTransaction(pool, async (client) => {
      pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      const ended = waitForEnd(client);
      await terminate(pid);
      await ended; // the server has gone from under the transaction, between two statements
      await client.query('SELECT 1');
    });
    await expect(failed).rejects.toThrow(/terminat/i);

    const after = (await pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    expect(after).not.toBe(pid);
    expect(await inTransaction(pool, async (c) => (await c.query('SELECT 2 AS two')).rows[0].two)).toBe(2);
  });

  it('a connection ended while idle in the pool is dropped without an error reaching the process', async () => {
    const client = await pool.connect();
    const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    client.release();
    pool.on('error', () => undefined); // as createPostgresStore does
    await terminate(pid);
    expect((await pool.query('SELECT 3 AS three')).rows[0].three).toBe(3);
  });
});
