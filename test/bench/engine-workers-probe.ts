// What the engine-workers benchmark reads while the workers run: counts in the store (the same SQL
// on SQLite and PostgreSQL), and CPU time from /proc (the workers', PostgreSQL's, the machine's).
import { readdirSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';

/** A read-write connection of the benchmark's own to the store the workers use. */
export interface StoreProbe {
  count(sql: string, args?: unknown[]): Promise<number>;
  exec(sql: string, args?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** Opens a probe on a SQLite file or on one PostgreSQL schema. */
export async function openProbe(target: { sqlite: string } | { pgUrl: string; schema: string }): Promise<StoreProbe> {
  if ('sqlite' in target) {
    const db = new Database(target.sqlite);
    db.pragma('busy_timeout = 10000');
    return {
      count: async (sql, args = []) =>
        Number(Object.values(db.prepare(sql.replace(/\$\d+/g, '?')).get(...args) as object)[0]),
      exec: async (sql, args = []) => void db.prepare(sql.replace(/\$\d+/g, '?')).run(...args),
      close: async () => void db.close(),
    };
  }
  const url = new URL(target.pgUrl);
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`SET search_path TO ${target.schema}`);
  return {
    count: async (sql, args = []) => Number(Object.values((await client.query(sql, args)).rows[0] as object)[0]),
    exec: async (sql, args = []) => void (await client.query(sql, args)),
    close: () => client.end(),
  };
}

const TICK = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far; 0 when it is gone. */
export function processCpu(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by every `postgres` process (server and backends) this user can see. */
export function postgresCpu(): number {
  let total = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.includes('(postgres)')) total += processCpu(Number(name));
    } catch {
      // gone between the listing and the read
    }
  }
  return total;
}

/** The machine's busy and total CPU seconds so far (all cores), from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = v.map(Number);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICK, total: total / TICK };
}
