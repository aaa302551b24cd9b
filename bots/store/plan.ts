import { bind, type Query } from './named';
import type { Row } from './rows';

/**
 * A store operation of several statements written once for both stores: a generator that yields
 * each statement and receives its result. SQLite runs it synchronously inside one transaction,
 * PostgreSQL awaits each step inside one transaction; the logic between the steps is the same.
 */
export interface Step {
  kind: 'all' | 'run';
  sql: string;
  args: unknown[];
}

/** A multi-statement operation; see {@link Step}. */
export type Plan<T> = Generator<Step, T, unknown>;

/** Reads rows. */
export function* readRows<P extends object>(q: Query<P>, params: NoInfer<P>): Generator<Step, Row[], unknown> {
  const [sql, args] = bind(q, params);
  return (yield { kind: 'all', sql, args }) as Row[];
}

/** Writes; the number of rows changed. */
export function* write<P extends object>(q: Query<P>, params: NoInfer<P>): Generator<Step, number, unknown> {
  const [sql, args] = bind(q, params);
  return (yield { kind: 'run', sql, args }) as number;
}

/** Runs a plan whose steps `exec` answers synchronously (call it inside a transaction). */
export function runPlanSync<T>(plan: Plan<T>, exec: (step: Step) => Row[] | number): T {
  let next = plan.next();
  while (!next.done) next = plan.next(exec(next.value));
  return next.value;
}

/** Runs a plan whose steps `exec` answers asynchronously (call it inside a transaction). */
export async function runPlanAsync<T>(plan: Plan<T>, exec: (step: Step) => Promise<Row[] | number>): Promise<T> {
  let next = plan.next();
  while (!next.done) next = plan.next(await exec(next.value));
  return next.value;
}
