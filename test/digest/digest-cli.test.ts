import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchedAt } from '../../bots/store/harness';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import { buildMessage } from '../../shared/message/build';
import { runScipop } from '../engine/child';

const dir = mkdtempSync(join(tmpdir(), 'scipop-digest-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { SCIPOP_DB: join(dir, 'scipop.db') };

describe('scipop digest preview (a real child process)', () => {
  it("prints a channel's next digest as the console sink would, with the config file's settings", async () => {
    const store = createSqliteStore(env.SCIPOP_DB);
    const at = Date.now() - 3_600_000;
    const source = await store.addSource(
      { url: 'https://a.example/feed', title: 'Space desk', tags: ['astronomy'] },
      at,
    );
    await store.upsertChannel({ id: 'daily', sink: 'console', target: 'd', title: 'Daily', rules: {} }, at);
    await store.commitFetch(
      source.id,
      fetchedAt(at),
      ['Webb finds water on exoplanet K2-18b', 'CRISPR trial cures sickle cell disease'].map((title, i) => ({
        key: `k${i}`,
        title,
        link: `https://a.example/${i}`,
        publishedAt: at,
        data: {},
        deliveries: [
          {
            channelId: 'daily',
            status: 'digest' as const,
            message: buildMessage(
              { title, link: `https://a.example/${i}`, summary: '' },
              { title: 'Space desk', tags: ['astronomy'] },
            ),
          },
        ],
      })),
      at,
    );
    await store.close();
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      'channels:\n  - { id: daily, sink: console, target: d, title: Daily, digest: { at: "07:30", timezone: Europe/Berlin } }\n',
    );
    const r = await runScipop(['digest', 'preview', 'daily', '--config', config], env, dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^─{60}$/);
    expect(lines[1]).toMatch(
      /^\[digest preview 1\/1 → daily\] 2 stories so far, due 07:30 \w+ \d+ \w+ \(Europe\/Berlin\)$/,
    );
    expect(lines[2]).toMatch(/^Science digest · \w+ \d+ \w+ \d{4}$/);
    expect(lines[3]).toBe('Daily · 2 stories from 1 source');
    expect(r.stdout).toContain('1. ');
    expect(r.stdout).toContain('— Space desk <https://a.example/');
    // A preview sends and records nothing.
    const again = createSqliteStore(env.SCIPOP_DB);
    expect(await again.lastDigest('daily')).toBeUndefined();
    await again.close();
  });

  it('says which channels exist when the one named does not, and exits 2; a bad time zone too', async () => {
    const r = await runScipop(['digest', 'preview', 'nope'], env, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'scipop digest preview: no channel "nope" in the config or the store (channels: console, daily)\n',
    );
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'channels:\n  - { id: daily, sink: console, target: d, digest: { timezone: Mars/Base } }\n');
    const b = await runScipop(['digest', 'preview', 'daily', '--config', bad], env, dir);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/channels\.0\.digest\.timezone: unknown time zone "Mars\/Base"/);
    expect(b.stdout).toBe('');
  });
});
