/**
 * Versioned schema migrations, applied in order and recorded in `schema_migrations`. The SQL is
 * the subset SQLite and PostgreSQL share: TEXT and BIGINT columns, application-made ids, 0/1 flags,
 * JSON kept as TEXT, `ON CONFLICT … DO NOTHING`. Never edit a released step: add the next one.
 */
import { selectionOf, selects } from '../../shared/curation';

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
  /**
   * Rows to write after the statements, in the same transaction, computed from rows already
   * stored (data a SQL statement alone cannot derive, such as JSON rules).
   */
  seed?: MigrationSeed;
}

/** A data step of a migration: what to read, and the inserts that follow from it. */
export interface MigrationSeed {
  reads: Record<string, string>;
  /** The inserts, as SQL with `?` placeholders and their values, from the rows read. */
  writes(rows: Record<string, Record<string, unknown>[]>, now: number): [string, unknown[]][];
}

/** Migration 6: every channel subscribes to the sources it receives today (its rules' selection). */
const seedSubscriptions: MigrationSeed = {
  reads: {
    channels: 'SELECT id, rules FROM channels ORDER BY id',
    sources: 'SELECT id, url, tags FROM sources ORDER BY created_at, id',
  },
  writes(rows, now) {
    const json = (text: unknown): unknown => {
      try {
        return JSON.parse(String(text));
      } catch {
        return null;
      }
    };
    const sources = (rows.sources ?? []).map((r) => {
      const tags = json(r.tags);
      return { id: String(r.id), url: String(r.url), tags: Array.isArray(tags) ? tags.map(String) : [] };
    });
    const out: [string, unknown[]][] = [];
    for (const c of rows.channels ?? []) {
      const selection = selectionOf(json(c.rules));
      for (const s of sources)
        if (selects(selection, s))
          out.push([
            'INSERT INTO subscriptions (channel_id, source_id, created_at) VALUES (?, ?, ?)',
            [String(c.id), s.id, now],
          ]);
    }
    return out;
  },
};

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sources, items, channels, outbox',
    statements: [
      `CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        site_url TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        lang TEXT,
        interval_sec BIGINT,
        trusted BIGINT NOT NULL DEFAULT 1,
        active BIGINT NOT NULL DEFAULT 1,
        paused_reason TEXT,
        paused_at BIGINT,
        etag TEXT,
        last_modified TEXT,
        next_fetch_at BIGINT NOT NULL DEFAULT 0,
        last_fetch_at BIGINT,
        last_success_at BIGINT,
        failures BIGINT NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at BIGINT NOT NULL
      )`,
      `CREATE INDEX sources_due ON sources (active, next_fetch_at)`,
      `CREATE TABLE items (
        id TEXT PRIMARY KEY,
        source_id TEXT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        item_key TEXT NOT NULL,
        title TEXT NOT NULL,
        link TEXT,
        published_at BIGINT,
        data TEXT NOT NULL,
        seen_at BIGINT NOT NULL,
        UNIQUE (source_id, item_key)
      )`,
      `CREATE TABLE channels (
        id TEXT PRIMARY KEY,
        sink TEXT NOT NULL,
        target TEXT NOT NULL,
        title TEXT NOT NULL,
        rules TEXT NOT NULL DEFAULT '{}',
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        source_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        status TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        not_before BIGINT NOT NULL,
        attempts BIGINT NOT NULL DEFAULT 0,
        claimed_at BIGINT,
        sent_at BIGINT,
        remote_id TEXT,
        last_error TEXT,
        decided_by TEXT,
        UNIQUE (item_id, channel_id)
      )`,
      `CREATE INDEX outbox_status ON outbox (status, not_before, created_at)`,
      `CREATE INDEX outbox_channel_sent ON outbox (channel_id, sent_at)`,
    ],
  },
  {
    version: 2,
    name: 'channel origin (config file or chat command)',
    statements: [`ALTER TABLE channels ADD COLUMN origin TEXT NOT NULL DEFAULT 'config'`],
  },
  {
    version: 3,
    name: 'workers and leases (many scipop run processes on one store)',
    statements: [
      `CREATE TABLE workers (
        id TEXT PRIMARY KEY,
        host TEXT NOT NULL,
        pid BIGINT NOT NULL,
        version TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        heartbeat_at BIGINT NOT NULL
      )`,
      `CREATE TABLE leases (
        kind TEXT NOT NULL,
        lease_key TEXT NOT NULL,
        owner TEXT NOT NULL,
        until_at BIGINT NOT NULL,
        taken_at BIGINT NOT NULL,
        PRIMARY KEY (kind, lease_key)
      )`,
      `CREATE INDEX leases_owner ON leases (owner)`,
      `ALTER TABLE sources ADD COLUMN lease_owner TEXT`,
      `ALTER TABLE sources ADD COLUMN lease_until BIGINT`,
      `ALTER TABLE sources ADD COLUMN lease_at BIGINT`,
      `ALTER TABLE outbox ADD COLUMN claimed_by TEXT`,
    ],
  },
  {
    version: 4,
    name: 'platform state (paused destinations, send journal, chat moves, held rows, edited summaries, queue posts, webhooks)',
    statements: [
      `CREATE TABLE paused_destinations (
        platform TEXT NOT NULL,
        destination TEXT NOT NULL,
        reason TEXT NOT NULL,
        paused_at BIGINT NOT NULL,
        PRIMARY KEY (platform, destination)
      )`,
      `CREATE TABLE send_journal (
        delivery_id TEXT PRIMARY KEY,
        platform TEXT NOT NULL,
        destination TEXT NOT NULL,
        message_id TEXT NOT NULL,
        title TEXT NOT NULL,
        sent_at BIGINT NOT NULL
      )`,
      `CREATE INDEX send_journal_destination ON send_journal (platform, destination, sent_at)`,
      `CREATE TABLE chat_moves (
        platform TEXT NOT NULL,
        from_id TEXT NOT NULL,
        to_id TEXT NOT NULL,
        PRIMARY KEY (platform, from_id)
      )`,
      `CREATE TABLE held_for_resume (
        delivery_id TEXT PRIMARY KEY,
        platform TEXT NOT NULL,
        destination TEXT NOT NULL
      )`,
      `CREATE INDEX held_for_resume_destination ON held_for_resume (platform, destination)`,
      `CREATE TABLE edited_summaries (
        delivery_id TEXT PRIMARY KEY,
        summary TEXT NOT NULL,
        edited_by TEXT NOT NULL,
        edited_at BIGINT NOT NULL
      )`,
      `CREATE TABLE queue_posts (
        platform TEXT NOT NULL,
        delivery_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        closed BIGINT NOT NULL DEFAULT 0,
        posted_at BIGINT NOT NULL,
        PRIMARY KEY (platform, delivery_id)
      )`,
      `CREATE TABLE platform_webhooks (
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        webhook_id TEXT NOT NULL,
        token TEXT NOT NULL,
        PRIMARY KEY (platform, channel_id)
      )`,
      `CREATE TABLE platform_state_imports (
        platform TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        outcome TEXT NOT NULL,
        at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 5,
    name: "config-file rules of channels (kept apart from moderators' edits); when an item was last listed (forgetting old items)",
    statements: [
      `ALTER TABLE channels ADD COLUMN config_rules TEXT`,
      `ALTER TABLE items ADD COLUMN last_listed_at BIGINT`,
      `ALTER TABLE sources ADD COLUMN last_parsed_at BIGINT`,
      `CREATE INDEX items_seen ON items (seen_at)`,
    ],
  },
  {
    version: 6,
    name: 'subscriptions (a channel subscribes to sources, each with its own paused state)',
    statements: [
      `CREATE TABLE subscriptions (
        channel_id TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
        source_id TEXT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        paused_reason TEXT,
        paused_at BIGINT,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (channel_id, source_id)
      )`,
      `CREATE INDEX subscriptions_source ON subscriptions (source_id)`,
    ],
    seed: seedSubscriptions,
  },
  {
    version: 7,
    name: 'community glossary: revisions of entries (drafts, approved, rejected), the published revision, the signing key, the wanted list',
    statements: [
      `CREATE TABLE glossary_revisions (
        id TEXT PRIMARY KEY,
        lang TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        action TEXT NOT NULL,
        entry TEXT,
        status TEXT NOT NULL,
        author_platform TEXT NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        note TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        published_rev BIGINT,
        decided_platform TEXT,
        decided_id TEXT,
        decided_name TEXT,
        decided_at BIGINT,
        UNIQUE (lang, entry_id, seq)
      )`,
      `CREATE INDEX glossary_revisions_status ON glossary_revisions (status, created_at)`,
      `CREATE INDEX glossary_revisions_published ON glossary_revisions (published_rev)`,
      `CREATE TABLE glossary_meta (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
      )`,
      `INSERT INTO glossary_meta (name, value) VALUES ('revision', '1')`,
      `CREATE TABLE glossary_wanted (
        lang TEXT NOT NULL,
        term_key TEXT NOT NULL,
        term TEXT NOT NULL,
        asks BIGINT NOT NULL DEFAULT 0,
        items BIGINT NOT NULL DEFAULT 0,
        sources BIGINT NOT NULL DEFAULT 0,
        examples TEXT NOT NULL DEFAULT '[]',
        dismissed BIGINT NOT NULL DEFAULT 0,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (lang, term_key)
      )`,
    ],
  },
  {
    version: 8,
    name: 'community glossary: who claimed a wanted term to write it',
    statements: [
      `ALTER TABLE glossary_wanted ADD COLUMN claimed_platform TEXT`,
      `ALTER TABLE glossary_wanted ADD COLUMN claimed_id TEXT`,
      `ALTER TABLE glossary_wanted ADD COLUMN claimed_name TEXT`,
      `ALTER TABLE glossary_wanted ADD COLUMN claimed_at BIGINT`,
    ],
  },
  {
    version: 9,
    name: "digests: outbox rows without an item (a digest's parts), the digests sent per channel and time, a channel's digest settings",
    // The outbox is rebuilt because SQLite cannot drop a NOT NULL constraint in place; both
    // databases run the same copy-and-rename, and the indexes are made again under their names.
    statements: [
      `CREATE TABLE outbox_v9 (
        id TEXT PRIMARY KEY,
        item_id TEXT REFERENCES items (id) ON DELETE CASCADE,
        source_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        status TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        not_before BIGINT NOT NULL,
        attempts BIGINT NOT NULL DEFAULT 0,
        claimed_at BIGINT,
        sent_at BIGINT,
        remote_id TEXT,
        last_error TEXT,
        decided_by TEXT,
        claimed_by TEXT,
        digest_at BIGINT,
        UNIQUE (item_id, channel_id)
      )`,
      `INSERT INTO outbox_v9 (id, item_id, source_id, channel_id, status, message, created_at, not_before, attempts,
        claimed_at, sent_at, remote_id, last_error, decided_by, claimed_by)
        SELECT id, item_id, source_id, channel_id, status, message, created_at, not_before, attempts,
        claimed_at, sent_at, remote_id, last_error, decided_by, claimed_by FROM outbox`,
      `DROP TABLE outbox`,
      `ALTER TABLE outbox_v9 RENAME TO outbox`,
      `CREATE INDEX outbox_status ON outbox (status, not_before, created_at)`,
      `CREATE INDEX outbox_channel_sent ON outbox (channel_id, sent_at)`,
      `CREATE INDEX outbox_channel_created ON outbox (channel_id, created_at)`,
      `CREATE TABLE digests (
        channel_id TEXT NOT NULL,
        slot_at BIGINT NOT NULL,
        since_at BIGINT,
        created_at BIGINT NOT NULL,
        parts BIGINT NOT NULL,
        stories BIGINT NOT NULL,
        late BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (channel_id, slot_at)
      )`,
      `ALTER TABLE channels ADD COLUMN digest TEXT`,
    ],
  },
  {
    version: 10,
    name: 'moderators’ dashboard: one-time sign-in links and sessions (hashes of their tokens only)',
    statements: [
      `CREATE TABLE dashboard_sign_ins (
        token_hash TEXT PRIMARY KEY,
        grant_json TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT
      )`,
      `CREATE INDEX dashboard_sign_ins_expires ON dashboard_sign_ins (expires_at)`,
      `CREATE TABLE dashboard_sessions (
        id_hash TEXT PRIMARY KEY,
        grant_json TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      )`,
      `CREATE INDEX dashboard_sessions_expires ON dashboard_sessions (expires_at)`,
    ],
  },
  {
    version: 11,
    name: 'a moderator’s edited key terms of a held post (beside its edited summary)',
    statements: [`ALTER TABLE edited_summaries ADD COLUMN terms TEXT`],
  },
  {
    version: 12,
    name: 'delivery log: why an item went to no post in a subscribed channel (a rule, a first fetch), and why a post was put off (a cap)',
    statements: [
      `CREATE TABLE item_verdicts (
        item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        source_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (item_id, channel_id)
      )`,
      `CREATE INDEX item_verdicts_channel_created ON item_verdicts (channel_id, created_at)`,
      `CREATE INDEX item_verdicts_created ON item_verdicts (created_at)`,
      `CREATE INDEX outbox_created ON outbox (created_at)`,
      `ALTER TABLE outbox ADD COLUMN note TEXT`,
    ],
  },
  {
    version: 13,
    name: "a channel's language (en or zh-Hans), and the one the config file last gave it",
    statements: [`ALTER TABLE channels ADD COLUMN lang TEXT`, `ALTER TABLE channels ADD COLUMN config_lang TEXT`],
  },
];

/** The newest schema version this code knows. */
export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** The bookkeeping table itself (created before any step). */
export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;
