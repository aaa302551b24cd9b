import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { startScipop, writeRunConfig } from './child';

// Child processes start slowly on a loaded 2-core machine (tsx compiles on start).
vi.setConfig({ testTimeout: 120_000 });

let server: FeedServer;
const dir = mkdtempSync(join(tmpdir(), 'scipop-ops-'));
beforeAll(async () => {
  server = await startFeedServer();
  server.route('/ops', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rssFeed('Ops', [{ title: 'An exoplanet', guid: 'x1', link: 'https://news.example/x1' }]));
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor<T>(probe: () => T | undefined, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('scipop run as a service', () => {
  it('serves /healthz and /metrics on SCIPOP_HTTP_PORT and shuts down cleanly on SIGTERM', async () => {
    const config = writeRunConfig(dir, [server.url('/ops')], { firstFetchPosts: 1 });
    const child = startScipop(
      ['run', '--config', config],
      { SCIPOP_DB: join(dir, 'ops.db'), SCIPOP_ALLOW_PRIVATE_NETWORKS: '1', SCIPOP_HTTP_PORT: '0' },
      dir,
    );
    const port = await waitFor(() => /"port":(\d+),"msg":"serving \/healthz and \/metrics"/.exec(child.stderr())?.[1]);
    await waitFor(() => (child.stdout().includes('[post ') ? true : undefined));
    // The worker holding the maintenance role reads the news for wanted terms after its first pass.
    await waitFor(() =>
      /"items":1,"terms":\d+,.*looked for terms the news uses/.test(child.stderr()) ? true : undefined,
    );
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, sources: 1, paused: 0 });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('scipop_fetches_total{result="ok"} 1');
    expect(metrics).toContain('scipop_deliveries_total{sink="console",result="sent"} 1');
    expect(metrics).toMatch(/scipop_outbox_depth\{status="pending"\} 0/);
    expect(metrics).toContain('scipop_live_workers 1');
    expect(metrics).toContain('scipop_owned_destinations 1'); // the one console channel
    expect(metrics).toContain('scipop_process_cpu_user_seconds_total');
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
    child.proc.kill('SIGTERM');
    const { code, signal } = await child.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(child.stderr()).toContain('shutting down: finishing in-flight work');
    expect(child.stderr()).toContain('"msg":"stopped"');
  });
});
