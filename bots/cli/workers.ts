import type { Command } from 'commander';
import { loadConfig } from '../config/config';
import { parseEnv } from '../config/env';
import { openStore } from '../store/open-store';
import type { Lease, Store, WorkerInfo } from '../store/types';
import { leaseHoldMs } from '../engine/workers';
import { errorMessage } from '../../shared/errors';

/** One worker as `scipop workers` shows it. */
export interface WorkerView extends WorkerInfo {
  alive: boolean;
  /** Milliseconds since its last heartbeat. */
  silentMs: number;
  channels: number;
  roles: string[];
  /** Sources it is fetching right now, and since when the oldest. */
  fetching: number;
  oldestFetchMs: number | null;
}

/** What the store says about the workers and what each holds, at `now`. */
export interface WorkersView {
  leaseMs: number;
  workers: WorkerView[];
  /** Leases still running (channels and roles), with their owners. */
  leases: (Lease & { ageMs: number; expiresInMs: number })[];
  /** Channels with no live owner: their posts wait for a worker. */
  unowned: string[];
}

/** Reads workers and leases from the store. A worker is alive while its leases run (see leaseHoldMs). */
export async function workersView(store: Store, leaseMs: number, now: number): Promise<WorkersView> {
  const [workers, leases, fetching, channels] = await Promise.all([
    store.listWorkers(),
    store.listLeases(),
    store.sourceLeases(now),
    store.listChannels(),
  ]);
  const running = leases.filter((l) => l.until > now);
  const held = new Set(running.filter((l) => l.kind === 'channel').map((l) => l.key));
  return {
    leaseMs,
    workers: workers.map((w) => {
      const mine = running.filter((l) => l.owner === w.id);
      const f = fetching.find((x) => x.owner === w.id);
      return {
        ...w,
        alive: now - w.heartbeatAt <= leaseHoldMs(leaseMs),
        silentMs: now - w.heartbeatAt,
        channels: mine.filter((l) => l.kind === 'channel').length,
        roles: mine.filter((l) => l.kind === 'role').map((l) => l.key),
        fetching: f?.sources ?? 0,
        oldestFetchMs: f ? now - f.oldestAt : null,
      };
    }),
    leases: running.map((l) => ({ ...l, ageMs: now - l.takenAt, expiresInMs: l.until - now })),
    unowned: channels.map((c) => c.id).filter((id) => !held.has(id)),
  };
}

const secs = (ms: number) =>
  ms < 10_000
    ? `${(ms / 1000).toFixed(1)} s`
    : ms < 3_600_000
      ? `${Math.round(ms / 1000)} s`
      : `${(ms / 3_600_000).toFixed(1)} h`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The human form of {@link workersView}. */
export function formatWorkers(view: WorkersView, showLeases: boolean): string {
  const lines: string[] = [];
  const alive = view.workers.filter((w) => w.alive).length;
  lines.push(
    `${alive} live worker${alive === 1 ? '' : 's'} of ${view.workers.length} known (a worker silent for ${secs(leaseHoldMs(view.leaseMs))} is taken for dead; its work moves within ${secs(view.leaseMs)})`,
  );
  if (view.workers.length > 0) {
    lines.push(
      table([
        ['WORKER', 'VERSION', 'STATE', 'LAST BEAT', 'UP', 'CHANNELS', 'FETCHING', 'ROLES'],
        ...view.workers.map((w) => [
          w.id,
          w.version,
          w.alive ? 'alive' : 'dead',
          `${secs(w.silentMs)} ago`,
          secs(Math.max(0, w.heartbeatAt - w.startedAt)),
          String(w.channels),
          w.fetching > 0 ? `${w.fetching} (oldest ${secs(w.oldestFetchMs ?? 0)})` : '0',
          w.roles.join(', ') || '-',
        ]),
      ]),
    );
  }
  if (view.unowned.length > 0)
    lines.push(`destinations with no live owner (their posts wait): ${view.unowned.join(', ')}`);
  if (showLeases && view.leases.length > 0) {
    lines.push('');
    lines.push(
      table([
        ['KIND', 'NAME', 'OWNER', 'HELD FOR', 'EXPIRES IN'],
        ...view.leases.map((l) => [l.kind, l.key, l.owner, secs(l.ageMs), secs(l.expiresInMs)]),
      ]),
    );
  }
  return lines.join('\n');
}

/** `scipop workers [--leases] [--json] [--config FILE]`. */
export function registerWorkersCommand(program: Command): void {
  program
    .command('workers')
    .description(
      'the scipop run processes sharing SCIPOP_DB: who is alive, which destinations, roles and fetches each holds, and lease ages',
    )
    .option('--config <file>', 'the config the workers run with (for workers.leaseSeconds)')
    .option('--leases', 'list every destination and role lease with its owner and age')
    .option('--json', 'print JSON')
    .action(async (o: { config?: string; leases?: boolean; json?: boolean }) => {
      try {
        const leaseMs = loadConfig(o.config).workers.leaseSeconds * 1000;
        const store = await openStore(parseEnv().SCIPOP_DB);
        try {
          const view = await workersView(store, leaseMs, Date.now());
          process.stdout.write(`${o.json ? JSON.stringify(view, null, 2) : formatWorkers(view, Boolean(o.leases))}\n`);
        } finally {
          await store.close();
        }
      } catch (error) {
        process.stderr.write(`scipop: ${errorMessage(error)}\n`);
        process.exitCode = 1;
      }
    });
}
