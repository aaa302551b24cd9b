import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type FetchResult } from '../../bots/engine/fetcher';
import { parseFeedText } from '../../bots/engine/parse-feed';
import { startFeedServer, type FeedServer } from '../support/feed-server';

let server: FeedServer;
// Tests live on 127.0.0.1, so private networks are allowed here (as SCIPOP_ALLOW_PRIVATE_NETWORKS=1 would).
const fetcher = createFetcher({ allowPrivateNetworks: true, timeoutMs: 3000 });

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  fetcher.close();
  await server.close();
});

function ok(result: FetchResult) {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}

describe('conditional GET', () => {
  it('stores validators, then gets a 304 with them', async () => {
    const first = ok(await fetcher.fetch(server.url('/feed.xml')));
    expect(first.etag).toBe('"v1"');
    expect(first.lastModified).toBe('Wed, 01 May 2024 10:00:00 GMT');
    expect(first.maxAgeSeconds).toBe(900);
    expect(server.lastHeaders('/feed.xml')?.['user-agent']).toMatch(/^SciPop\//);
    const second = await fetcher.fetch(server.url('/feed.xml'), { etag: first.etag });
    expect(second.kind).toBe('not-modified');
    expect(server.lastHeaders('/feed.xml')?.['if-none-match']).toBe('"v1"');
    const third = await fetcher.fetch(server.url('/feed.xml'), { lastModified: first.lastModified });
    expect(third.kind).toBe('not-modified');
  });
});

describe('compression', () => {
  it.each(['/gzip', '/deflate', '/deflate-raw', '/br'])('decodes %s', async (path) => {
    const result = ok(await fetcher.fetch(server.url(path)));
    expect(result.body).toContain('Webb spots water');
    expect(server.lastHeaders(path)?.['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('refuses a gzip bomb by its unpacked size', async () => {
    const result = await fetcher.fetch(server.url('/gzip-bomb'));
    expect(result).toMatchObject({ kind: 'error', code: 'too-large', retryable: false });
  });
});

describe('redirects', () => {
  it('reports a permanent redirect so the stored URL can be updated', async () => {
    const result = ok(await fetcher.fetch(server.url('/moved-twice')));
    expect(result.finalUrl).toBe(server.url('/feed.xml'));
    expect(result.permanentRedirect).toBe(server.url('/feed.xml'));
  });

  it('does not report a temporary redirect, nor what follows one', async () => {
    expect(ok(await fetcher.fetch(server.url('/temporary'))).permanentRedirect).toBeUndefined();
    const mixed = ok(await fetcher.fetch(server.url('/moved-then-temporary')));
    expect(mixed.permanentRedirect).toBe(server.url('/temporary'));
    expect(mixed.finalUrl).toBe(server.url('/feed.xml'));
  });

  it('follows five redirects and refuses the sixth', async () => {
    expect(ok(await fetcher.fetch(server.url('/chain/4'))).finalUrl).toBe(server.url('/feed.xml'));
    const result = await fetcher.fetch(server.url('/chain/5'));
    expect(result).toMatchObject({ kind: 'error', code: 'too-many-redirects' });
  });

  it('stops a redirect loop', async () => {
    const result = await fetcher.fetch(server.url('/loop-a'));
    expect(result).toMatchObject({ kind: 'error', code: 'redirect-loop' });
    expect(server.hits('/loop-a')).toBe(1);
  });
});

describe('limits', () => {
  it('cuts off a 20 MB body at the 5 MB cap', async () => {
    const started = Date.now();
    expect(await fetcher.fetch(server.url('/huge'))).toMatchObject({ kind: 'error', code: 'too-large' });
    expect(await fetcher.fetch(server.url('/huge-declared'))).toMatchObject({ kind: 'error', code: 'too-large' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('gives up on a server sending one byte a second', async () => {
    const slow = createFetcher({ allowPrivateNetworks: true, timeoutMs: 1500 });
    const started = Date.now();
    const result = await slow.fetch(server.url('/slow'));
    slow.close();
    expect(result).toMatchObject({ kind: 'error', code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('keeps at most perHostConcurrency requests in flight per host', async () => {
    const held = await startFeedServer({ holdMs: 150 });
    const limited = createFetcher({ allowPrivateNetworks: true, perHostConcurrency: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => limited.fetch(held.url('/feed.xml'))));
    limited.close();
    await held.close();
    expect(results.every((r) => r.kind === 'ok')).toBe(true);
    expect(held.maxInFlight()).toBe(2);
  });
});

describe('failures', () => {
  it('reports 500s as retryable and recovers when the server does', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await fetcher.fetch(server.url('/flaky'));
      outcomes.push(r.kind === 'error' ? `${r.code}:${r.status}:${r.retryable}` : r.kind);
    }
    expect(outcomes).toEqual(['http-status:500:true', 'http-status:500:true', 'http-status:500:true', 'ok']);
  });

  it('answers an error status at once, without reading an endless error page', async () => {
    const started = Date.now();
    expect(await fetcher.fetch(server.url('/huge-error'))).toMatchObject({
      kind: 'error',
      code: 'http-status',
      status: 500,
      retryable: true,
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('passes on Retry-After, and a 410 is not retryable', async () => {
    expect(await fetcher.fetch(server.url('/rate-limited'))).toMatchObject({
      kind: 'error',
      status: 429,
      retryable: true,
      retryAfterSeconds: 120,
    });
    expect(await fetcher.fetch(server.url('/gone'))).toMatchObject({ kind: 'error', status: 410, retryable: false });
  });

  it('notices a feed that turned into an HTML page', async () => {
    const first = ok(await fetcher.fetch(server.url('/becomes-html')));
    expect((await parseFeedText(first.body, { url: first.finalUrl })).ok).toBe(true);
    const second = ok(await fetcher.fetch(server.url('/becomes-html')));
    const parsed = await parseFeedText(second.body, { url: second.finalUrl });
    expect(parsed).toEqual({ ok: false, error: expect.stringMatching(/^not a feed: the document is an HTML page/) });
  });

  it('refuses a billion-laughs entity bomb quickly and without expanding it', async () => {
    const fetched = ok(await fetcher.fetch(server.url('/bomb')));
    const started = Date.now();
    const parsed = await parseFeedText(fetched.body, { url: fetched.finalUrl });
    expect(parsed).toEqual({ ok: false, error: expect.stringContaining('entity-expansion bomb') });
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('rejects URLs that are not http(s)', async () => {
    expect(await fetcher.fetch('file:///etc/passwd')).toMatchObject({
      kind: 'error',
      code: 'invalid-url',
      retryable: false,
    });
    expect(await fetcher.fetch('not a url')).toMatchObject({ kind: 'error', code: 'invalid-url' });
  });
});

describe('charsets', () => {
  async function firstTitle(path: string) {
    const fetched = ok(await fetcher.fetch(server.url(path)));
    const parsed = await parseFeedText(fetched.body, { url: fetched.finalUrl });
    if (!parsed.ok) throw new Error(parsed.error);
    return { charset: fetched.charset, feed: parsed.value.title, item: parsed.value.items[0]?.title };
  }

  it('believes the XML declaration over a header that says UTF-8 for GBK bytes', async () => {
    expect(await firstTitle('/gbk-mislabelled')).toEqual({ charset: 'gbk', feed: '科学新闻', item: '量子纠缠实验' });
  });

  it('reads GB2312 from the declaration, Big5 from the header, windows-1251, UTF-16 and BOM-less UTF-32', async () => {
    expect(await firstTitle('/gbk-declared')).toMatchObject({ item: '量子纠缠实验' });
    expect(await firstTitle('/big5-header')).toMatchObject({ charset: 'big5', item: '量子糾纏實驗' });
    expect(await firstTitle('/cp1251')).toMatchObject({ charset: 'windows-1251', item: 'Квантовая запутанность' });
    expect(await firstTitle('/utf16')).toMatchObject({ item: 'Ünïcödé' });
    expect(await firstTitle('/utf32-nobom')).toMatchObject({ charset: 'utf-32be', item: 'Ünïcödé 32' });
  });
});

describe('SSRF guard', () => {
  const guarded = createFetcher({ timeoutMs: 2000 });
  afterAll(() => guarded.close());

  it('refuses loopback by default, by address and by a name that resolves to it', async () => {
    const before = server.hits('/feed.xml');
    expect(await guarded.fetch(server.url('/feed.xml'))).toMatchObject({
      kind: 'error',
      code: 'blocked-address',
      retryable: false,
    });
    expect(await guarded.fetch(`http://localhost:${server.port}/feed.xml`)).toMatchObject({
      kind: 'error',
      code: 'blocked-address',
    });
    expect(await guarded.fetch('http://[::1]/')).toMatchObject({ kind: 'error', code: 'blocked-address' });
    expect(await guarded.fetch('http://169.254.169.254/latest/meta-data/')).toMatchObject({
      kind: 'error',
      code: 'blocked-address',
    });
    expect(server.hits('/feed.xml')).toBe(before);
  });

  it('checks every redirect hop', async () => {
    // Allow exactly the test server's address; a redirect elsewhere on loopback must be refused.
    const onlyServer = createFetcher({ isBlockedAddress: (ip) => ip !== '127.0.0.1', timeoutMs: 2000 });
    server.route('/to-loopback', (_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.2:${server.port}/feed.xml` });
      res.end();
    });
    expect(ok(await onlyServer.fetch(server.url('/feed.xml'))).kind).toBe('ok');
    expect(await onlyServer.fetch(server.url('/to-loopback'))).toMatchObject({
      kind: 'error',
      code: 'blocked-address',
    });
    onlyServer.close();
  });
});
