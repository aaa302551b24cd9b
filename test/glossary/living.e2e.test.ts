import { createHash, createPublicKey, verify } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PublishedDiffSchema, PublishedIndexSchema } from '../../shared/glossary/published';
import { runScipop, startScipop, writeRunConfig } from '../engine/child';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { circumbinary } from './community-fixtures';

// Child processes start slowly on a loaded 2-core machine (tsx compiles on start).
vi.setConfig({ testTimeout: 240_000 });

let server: FeedServer;
const dir = mkdtempSync(join(tmpdir(), 'scipop-living-e2e-'));
const items = [{ title: 'Kepler finds a circumbinary planet', guid: 'a1', link: 'https://news.example/a1' }];
beforeAll(async () => {
  server = await startFeedServer();
  server.route('/news', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rssFeed('News', items));
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor<T>(probe: () => T | undefined, ms = 120_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ed25519 = (raw: string) =>
  createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw, 'base64').toString('base64url') },
    format: 'jwk',
  });

describe('the living glossary under scipop run', () => {
  it('an approval from the CLI reaches the next post and the signed published index while the network runs', async () => {
    const config = writeRunConfig(dir, [server.url('/news')], { firstFetchPosts: 5 });
    appendFileSync(config, 'glossary:\n  name: Lab community\n  refreshSeconds: 1\n');
    // Fetch the feed again every few seconds, so the test sees "the next post".
    const text = (await import('node:fs')).readFileSync(config, 'utf8');
    writeFileSync(
      config,
      text.replace('sources:\n', 'sources:\n  defaultIntervalMinutes: 0.05\n  minIntervalMinutes: 0.05\n  jitter: 0\n'),
    );
    const env = { SCIPOP_DB: join(dir, 'live.db'), SCIPOP_ALLOW_PRIVATE_NETWORKS: '1', SCIPOP_HTTP_PORT: '0' };
    const child = startScipop(['run', '--config', config], env, dir);
    try {
      const port = await waitFor(() => /"port":(\d+),"msg":"serving/.exec(child.stderr())?.[1]);
      const base = `http://127.0.0.1:${port}/glossary/v1/`;
      await waitFor(() => (child.stdout().includes('Kepler finds a circumbinary planet') ? true : undefined));
      expect(child.stdout()).not.toContain(circumbinary.short);

      const first = await fetch(`${base}index.json`);
      expect(first.headers.get('access-control-allow-origin')).toBe('*');
      expect(PublishedIndexSchema.parse(await first.json())).toMatchObject({ revision: 1, files: [] });

      // An editor approves a new term from the command line, beside the running network.
      const pack = join(dir, 'proposal.json');
      writeFileSync(pack, JSON.stringify({ lang: 'en', entries: [circumbinary] }));
      const proposed = await runScipop(['glossary', 'propose', pack, '--as', 'Alice'], env, dir);
      expect(proposed.stderr).toBe('');
      const id = proposed.stdout.trim();
      expect(id).toMatch(/^\w+$/);
      const review = await runScipop(['glossary', 'review', '--json'], env, dir);
      expect(JSON.parse(review.stdout)).toEqual([
        expect.objectContaining({ id, term: 'circumbinary planet', state: 'draft', problems: [] }),
      ]);
      const approved = await runScipop(['glossary', 'approve', id, '--as', 'Eddie'], env, dir);
      expect(approved).toMatchObject({ code: 0, stdout: `${id}: approved (published revision 2)\n` });
      await waitFor(() => (/"revision":2,"msg":"community glossary updated"/.test(child.stderr()) ? true : undefined));

      // The next post explains it.
      items.unshift({ title: 'A second circumbinary planet for TESS', guid: 'a2', link: 'https://news.example/a2' });
      await waitFor(() => (child.stdout().includes('A second circumbinary planet for TESS') ? true : undefined));
      const post = child.stdout().slice(child.stdout().indexOf('A second circumbinary planet for TESS'));
      expect(post).toContain(circumbinary.short);

      // The published glossary: signed by the key `scipop glossary key` prints, every hash right.
      const key = (await runScipop(['glossary', 'key'], env, dir)).stdout.trim();
      expect(Buffer.from(key, 'base64')).toHaveLength(32);
      const res = await fetch(`${base}index.json`);
      const bytes = Buffer.from(await res.arrayBuffer());
      const sig = await (await fetch(`${base}index.json.sig`)).text();
      expect(verify(null, bytes, ed25519(key), Buffer.from(sig, 'base64'))).toBe(true);
      expect(verify(null, Buffer.concat([bytes, Buffer.from(' ')]), ed25519(key), Buffer.from(sig, 'base64'))).toBe(
        false,
      );
      const index = PublishedIndexSchema.parse(JSON.parse(bytes.toString('utf8')));
      expect(index).toMatchObject({ name: 'Lab community', revision: 2, checkAfterSeconds: 900 });
      for (const f of [...index.files, ...index.diffs]) {
        const body = Buffer.from(await (await fetch(base + f.path)).arrayBuffer());
        expect(createHash('sha256').update(body).digest('hex')).toBe(f.sha256);
      }
      const diff = PublishedDiffSchema.parse(await (await fetch(base + index.diffs[0]!.path)).json());
      expect(diff).toMatchObject({
        from: 1,
        to: 2,
        changes: [{ op: 'put', lang: 'en', entry: { id: circumbinary.id } }],
      });
      const etag = res.headers.get('etag')!;
      const again = await fetch(`${base}index.json`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect((await fetch(`${base}nope.json`)).status).toBe(404);

      expect(index.ask).toBe('ask'); // readers may ask the running network for a term

      // The static copy: the same packs and diffs, signed by the same key; a static host takes no requests.
      const out = join(dir, 'static');
      expect((await runScipop(['glossary', 'publish', out, '--config', config], env, dir)).code).toBe(0);
      const { readFileSync } = await import('node:fs');
      const staticBytes = readFileSync(join(out, 'index.json'));
      const staticSig = readFileSync(join(out, 'index.json.sig'), 'utf8');
      expect(verify(null, staticBytes, ed25519(key), Buffer.from(staticSig, 'base64'))).toBe(true);
      const { ask: _ask, ...served } = index;
      expect(PublishedIndexSchema.parse(JSON.parse(staticBytes.toString('utf8')))).toEqual(served);
      for (const f of index.files) expect(readFileSync(join(out, f.path))).toHaveLength(f.bytes);
    } finally {
      child.proc.kill('SIGTERM');
      await child.exited;
    }
  });
});
