/**
 * Server time and size of the Sources and Delivery log pages over a big network: 10,000 sources,
 * 50 channels, 100,000 log lines (two thirds outbox rows, one third filtered verdicts).
 *
 *   npx tsx test/dashboard/bench-pages.ts sqlite
 *   npx tsx test/dashboard/bench-pages.ts postgres   # SCIPOP_TEST_PG or postgres://postgres@127.0.0.1:5432/test
 *
 * Each figure is the mean of 5 renders after one warm-up, data gathering and HTML included (no HTTP).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { page } from '../../bots/dashboard/html';
import { logBody, logFilterOf, LOG_PER_PAGE } from '../../bots/dashboard/log';
import { dashboardScope } from '../../bots/dashboard/scope';
import { filterRows, sourceFilterOf, sourceRows, sourcesBody, SOURCES_PER_PAGE } from '../../bots/dashboard/sources';
import type { DashboardGrant } from '../../bots/store/dashboard-types';
import { createPostgresStore } from '../../bots/store/postgres-store';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { Store } from '../../bots/store/types';

const T0 = Date.UTC(2026, 11, 1);
const SOURCES = 10_000;
const CHANNELS = 50;
const ITEMS = 10;

async function seed(store: Store): Promise<void> {
  for (let c = 0; c < CHANNELS; c++)
    await store.upsertChannel(
      { id: `ch${c}`, sink: 'telegram', target: `-100${c}`, title: `Channel ${c}`, rules: { sources: ['none'] } },
      T0,
    );
  for (let s = 0; s < SOURCES; s++) {
    const channelId = `ch${s % CHANNELS}`;
    const src = await store.addSource({ url: `https://feed${s}.example/rss`, title: `Feed ${s}` }, T0, channelId);
    const items = Array.from({ length: ITEMS }, (_, i) => ({
      key: `k${i}`,
      title: `Item ${s}-${i} about science`,
      link: `https://news.example/${s}/${i}`,
      publishedAt: null,
      data: {},
      deliveries: i % 3 === 0 ? [] : [{ channelId, status: 'pending' as const, message: { title: `Item ${s}-${i}` } }],
      ...(i % 3 === 0
        ? { verdicts: [{ channelId, outcome: 'filtered' as const, reason: 'no included keyword' }] }
        : {}),
    }));
    const state = { etag: null, lastModified: null, nextFetchAt: T0, lastFetchAt: T0, lastSuccessAt: T0 };
    await store.commitFetch(src.id, { ...state, failures: 0, lastError: null }, items, T0 + s);
  }
}

async function measure(label: string, render: () => Promise<string>): Promise<void> {
  await render();
  const start = performance.now();
  let bytes = 0;
  for (let i = 0; i < 5; i++) bytes = Buffer.byteLength(await render());
  console.log(`${label}: ${((performance.now() - start) / 5).toFixed(1)} ms, ${bytes} bytes`);
}

async function pages(kind: string, store: Store): Promise<void> {
  const moderator: DashboardGrant = {
    platform: 'telegram',
    userId: '1',
    name: 'm',
    operator: false,
    channelIds: ['ch7'],
  };
  const operator: DashboardGrant = { ...moderator, operator: true, channelIds: [] };
  for (const [who, grant] of [
    ['moderator', moderator],
    ['operator', operator],
  ] as const) {
    await measure(`${kind} sources page (${who})`, async () => {
      const scope = await dashboardScope(store, grant);
      const filter = sourceFilterOf(() => undefined);
      const rows = filterRows(await sourceRows({ store, now: Date.now }, scope), filter, scope.here);
      const body = sourcesBody({
        rows: rows.slice(0, SOURCES_PER_PAGE),
        total: rows.length,
        filter,
        channels: scope.here,
        operator: grant.operator,
        csrf: 'x',
        notice: null,
      });
      return String(await page({ title: 'Sources', current: 'sources', csrf: 'x' }, body));
    });
    for (const [what, search, pageNo] of [
      ['first page', '', 1],
      ['search', 'science 77', 1],
      ['page 20', '', 20],
    ] as const) {
      await measure(`${kind} log page (${who}, ${what})`, async () => {
        const scope = await dashboardScope(store, grant);
        const rows = await store.deliveryLog({
          channelIds: grant.operator ? null : grant.channelIds,
          ...(search ? { search } : {}),
          offset: (pageNo - 1) * LOG_PER_PAGE,
          limit: LOG_PER_PAGE + 1,
        });
        const entries = rows.slice(0, LOG_PER_PAGE);
        const sources = new Map<string, string>();
        for (const s of await Promise.all(
          [...new Set(entries.map((e) => e.sourceId))].map((id) => store.getSource(id)),
        ))
          if (s) sources.set(s.id, s.title);
        const body = logBody({
          entries,
          more: rows.length > LOG_PER_PAGE,
          filter: { ...logFilterOf(() => undefined), q: search, page: pageNo },
          channels: scope.here,
          titles: new Map(scope.all.map((c) => [c.id, c.channel])),
          sources,
        });
        return String(await page({ title: 'Delivery log', current: 'log', csrf: 'x' }, body));
      });
    }
  }
}

async function main(): Promise<void> {
  const kind = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'scipop-bench-'));
    const store = createSqliteStore(join(dir, 'scipop.db'));
    try {
      await seed(store);
      await pages(kind, store);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const url = process.env.SCIPOP_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `scipop_bench_${Date.now()}`;
  const store = await createPostgresStore(url, { schema });
  try {
    await seed(store);
    await pages(kind, store);
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  }
}

void main();
