import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The logger as a process writes it: readable lines for a terminal, JSON lines otherwise.
const logger = join(import.meta.dirname, 'logger.ts');

function logOnce(readable: 'true' | 'false' | 'default'): string {
  const arg = readable === 'default' ? '' : `, ${readable}`;
  const script = `import { createLogger } from ${JSON.stringify(logger)};
const log = createLogger('info'${arg});
log.warn({ source: 'https://feeds.example/a.xml', failures: 2, token: 'sekrit' }, 'fetch failed');`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr;
}

describe('the log lines', () => {
  it('are JSON when stderr is not a terminal (a pipe, a supervisor)', { timeout: 90_000 }, () => {
    const line = JSON.parse(logOnce('default').trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 40, msg: 'fetch failed', source: 'https://feeds.example/a.xml' });
    expect(line.token).toBe('[redacted]');
  });

  it('are readable when stderr is a terminal: time, level, message, fields; no JSON', { timeout: 90_000 }, () => {
    // eslint-disable-next-line no-control-regex
    const text = logOnce('true').replace(/\u001b\[[0-9;]*m/g, '');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: fetch failed\n/);
    expect(text).toContain('source: "https://feeds.example/a.xml"');
    expect(text).toContain('token: "[redacted]"');
    expect(text).not.toMatch(/^\{/m);
  });
});
