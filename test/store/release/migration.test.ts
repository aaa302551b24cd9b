import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { compileChannels } from '../../../bots/engine/channels';
import { parseFeedText } from '../../../bots/engine/parse-feed';
import { pollSource } from '../../../bots/engine/poller';
import { LATEST_VERSION, MIGRATIONS, MIGRATIONS_TABLE } from '../../../bots/store/migrations';
import { createPostgresStore } from '../../../bots/store/postgres-store';
import { createSqliteStore } from '../../../bots/store/sqlite-store';
import type { Store } from '../../../bots/store/types';
import { createTestSchema, withAdmin, type TestSchema } from '../postgres';
import { queued, roundDeps, T0 } from './scenario';

// release-5.db was built by the release before subscriptions (build.ts); expected.json is what one
// round of fetches queued there, with that release's engine.
const FIXTURE = join(import.meta.dirname, 'release-5.db');
const EXPECTED: string[] = JSON.parse(readFileSync(join(import.meta.dirname, 'release-5.expected.json'), 'utf8'));

/** Today's engine over the migrated store: the same round, the same posts. */
async function roundOnToday(store: Store): Promise<string[]> {
  const channels = compileChannels(await store.listChannels(), () => {}, await store.listSubscriptions());
  const registry = { list: () => channels, get: (id: string) => channels.find((c) => c.channel.id === id) };
  const deps = roundDeps(store, (text: string, o: { url: string }) => parseFeedText(text, o));
  for (const s of (await store.listSources()).filter((x) => x.active)) await pollSource(s, deps as never, registry);
  return queued(store, T0 + 60_000);
}

async function subscriptionsByChannel(store: Store): Promise<Record<string, string[]>> {
  const titles = new Map((await store.listSources()).map((s) => [s.id, s.title]));
  const out: Record<string, string[]> = {};
  for (const s of await store.listSubscriptions()) (out[s.channelId] ??= []).push(titles.get(s.sourceId)!);
  for (const list of Object.values(out)) list.sort();
  return out;
}

// What the release's rules selected, now as subscriptions (the paused source included: a
// channel keeps receiving it when an operator resumes it, as before).
const SUBSCRIBED = {
  all: ['Bio', 'Paused', 'Physics', 'Space'],
  'bio-no-mice': ['Bio'],
  'bio-url': ['Bio'],
  invalid: ['Bio', 'Paused', 'Physics', 'Space'],
  'space-id-mars': ['Space'],
  'space-tag': ['Paused', 'Physics', 'Space'],
  'tags-and-sources': ['Physics'],
};

describe('upgrading a store built by the release before subscriptions', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('SQLite: migrates to the latest schema, every channel subscribed to what it received, and a round posts exactly what the release posted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scipop-upgrade-'));
    const file = join(dir, 'scipop.db');
    copyFileSync(FIXTURE, file);
    const store = createSqliteStore(file);
    cleanups.push(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    expect(await store.schemaVersion()).toBe(LATEST_VERSION);
    expect(await subscriptionsByChannel(store)).toEqual(SUBSCRIBED);
    expect((await store.listSources()).map((s) => [s.title, s.active, s.pausedReason])).toEqual([
      ['Space', true, null],
      ['Bio', true, null],
      ['Physics', true, null],
      ['Paused', false, 'paused by a moderator'],
    ]);
    expect(await roundOnToday(store)).toEqual(EXPECTED);
  });

  it('PostgreSQL: the same rows at schema 5 migrate the same way and post the same', async () => {
    const t: TestSchema = await createTestSchema();
    cleanups.push(() => t.drop());
    // The release's tables and rows, copied as they are into a schema-5 PostgreSQL store.
    const db = new Database(FIXTURE, { readonly: true });
    await withAdmin(async (c) => {
      await c.query(`CREATE SCHEMA ${t.schema}`);
      await c.query(`SET search_path = ${t.schema}`);
      await c.query(MIGRATIONS_TABLE);
      for (const step of MIGRATIONS.filter((m) => m.version <= 5))
        for (const statement of step.statements) await c.query(statement);
      for (const table of ['schema_migrations', 'sources', 'channels', 'items', 'outbox']) {
        for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
          const cols = Object.keys(row);
          await c.query(
            `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
            cols.map((k) => row[k]),
          );
        }
      }
    });
    db.close();
    const store = await createPostgresStore(t.url);
    cleanups.unshift(() => store.close());
    expect(await store.schemaVersion()).toBe(LATEST_VERSION);
    expect(await subscriptionsByChannel(store)).toEqual(SUBSCRIBED);
    expect(await roundOnToday(store)).toEqual(EXPECTED);
  });
});
