import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from './config';
import { parseEnv } from './env';
import { errorMessage } from '../../shared/errors';

const EXAMPLE = fileURLToPath(new URL('./example.yaml', import.meta.url));

describe('config', () => {
  it('gives every default for no file, with one console channel that shows each new source once', () => {
    expect(parseConfig({}).sources.firstFetchPosts).toBe(0);
    const c = loadConfig();
    expect(c.sources).toMatchObject({ defaultIntervalMinutes: 10, pauseAfterFailures: 10, firstFetchPosts: 1 });
    expect(c.sources.seedOpml).toMatch(/default-sources\.opml$/);
    expect(c.channels.map((ch) => [ch.id, ch.sink])).toEqual([['console', 'console']]);
    expect(c.fetch.maxBytes).toBe(5 * 1024 * 1024);
  });

  it('loads the example config in the repository', () => {
    const c = loadConfig(EXAMPLE);
    expect(c.channels.map((ch) => ch.id)).toEqual(['console', 'space-desk']);
    expect(c.channels[1]!.rules).toMatchObject({
      tags: ['astronomy', 'physics'],
      caps: { perHour: 6, perDay: 40 },
      approval: 'untrusted',
    });
  });

  it('reads JSON too, and reports every problem with file and path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scipop-config-'));
    try {
      const file = join(dir, 'c.json');
      writeFileSync(
        file,
        JSON.stringify({
          delivery: { inDoubt: 'maybe' },
          channels: [{ id: 'a b', sink: 'console', target: 'x', rules: { excludeRegex: ['(?<=x)y'] } }],
        }),
      );
      expect(() => loadConfig(file)).toThrow(ConfigError);
      try {
        loadConfig(file);
      } catch (error) {
        const lines = errorMessage(error).split('\n');
        expect(lines).toHaveLength(2);
        expect(lines[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: delivery\\.inDoubt: `));
        expect(lines[1]).toMatch(/channels\.0\.id: must be letters/);
      }
      writeFileSync(file, '{ not json: [');
      expect(() => loadConfig(file)).toThrow(/not valid YAML\/JSON/);
      expect(() => loadConfig(join(dir, 'missing.yaml'))).toThrow(/cannot read \(ENOENT\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects channel regexes RE2 cannot run, naming the channel', () => {
    expect(() =>
      parseConfig(
        { channels: [{ id: 'c', sink: 'console', target: 'x', rules: { excludeRegex: ['(?<=x)y'] } }] },
        'f.yaml',
      ),
    ).toThrow(/^f\.yaml: channels\.0\.rules\.excludeRegex\[0\]: invalid regex/);
  });

  it("takes a channel's digest and says clearly what is wrong with its time or time zone", () => {
    const c = parseConfig({
      channels: [{ id: 'c', sink: 'console', target: 'x', digest: { at: '08:00', timezone: 'Asia/Shanghai' } }],
    });
    expect(c.channels[0]!.digest).toEqual({
      every: 'daily',
      day: 'monday',
      at: '08:00',
      timezone: 'Asia/Shanghai',
      size: 10,
      mode: 'digest-only',
    });
    expect(() =>
      parseConfig(
        { channels: [{ id: 'c', sink: 'console', target: 'x', digest: { at: '25:00', timezone: 'Mars/Olympus' } }] },
        'f.yaml',
      ),
    ).toThrow(
      'f.yaml: channels.0.digest.at: must be a 24-hour time as HH:MM, such as "08:00"\n' +
        'f.yaml: channels.0.digest.timezone: unknown time zone "Mars/Olympus": use an IANA name such as "Asia/Shanghai", "Europe/Berlin" or "UTC"',
    );
  });
});

describe('env', () => {
  it('parses the documented variables once, with defaults', () => {
    expect(parseEnv({})).toMatchObject({ SCIPOP_DB: './data/scipop.db', SCIPOP_ALLOW_PRIVATE_NETWORKS: false });
    expect(
      parseEnv({
        SCIPOP_DB: 'postgres://x/y',
        SCIPOP_HTTP_PORT: '9100',
        SCIPOP_ALLOW_PRIVATE_NETWORKS: '1',
        TELEGRAM_BOT_TOKEN: ' 123:abc ',
      }),
    ).toMatchObject({
      SCIPOP_DB: 'postgres://x/y',
      SCIPOP_HTTP_PORT: 9100,
      SCIPOP_ALLOW_PRIVATE_NETWORKS: true,
      TELEGRAM_BOT_TOKEN: '123:abc',
    });
    expect(() => parseEnv({ SCIPOP_HTTP_PORT: 'http' })).toThrow(
      'SCIPOP_HTTP_PORT: SCIPOP_HTTP_PORT must be a port number',
    );
  });
});
