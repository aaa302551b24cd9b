import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';

/** One item of a generated test feed. */
export interface TestFeedItem {
  title: string;
  link?: string;
  guid?: string;
  date?: Date;
  description?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An RSS 2.0 document (the encoding in its XML declaration is `encoding`, default UTF-8). */
export function rssFeed(
  title: string,
  items: TestFeedItem[],
  options: { encoding?: string; ttl?: number } = {},
): string {
  const body = items
    .map(
      (item) =>
        `<item><title>${esc(item.title)}</title>${item.link ? `<link>${esc(item.link)}</link>` : ''}${
          item.guid ? `<guid isPermaLink="false">${esc(item.guid)}</guid>` : ''
        }${item.date ? `<pubDate>${item.date.toUTCString()}</pubDate>` : ''}<description>${esc(item.description ?? '')}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="${options.encoding ?? 'UTF-8'}"?>
<rss version="2.0"><channel><title>${esc(title)}</title><link>https://example.org/</link>${options.ttl ? `<ttl>${options.ttl}</ttl>` : ''}
${body}
</channel></rss>
`;
}

/** A handler gets the request, the response, and how many times this path was hit before (0-based). */
export type TestRoute = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;

/** A local HTTP feed server on 127.0.0.1 with the misbehaviours real feed hosts show. */
export interface FeedServer {
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  port: number;
  /** Adds or replaces a route. */
  route(path: string, handler: TestRoute): void;
  /** Requests received per path. */
  hits(path: string): number;
  /** The request headers of the last request to a path. */
  lastHeaders(path: string): http.IncomingHttpHeaders | undefined;
  /** Most requests in flight at once so far. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export const SAMPLE_ITEMS: TestFeedItem[] = [
  {
    title: 'Webb spots water on a distant exoplanet',
    link: 'https://example.org/a',
    guid: 'a',
    date: new Date('2024-05-01T10:00:00Z'),
    description: '<p>The <b>James Webb</b> telescope &amp; friends.</p>',
  },
  {
    title: 'CRISPR trial reports results',
    link: 'https://example.org/b',
    guid: 'b',
    date: new Date('2024-05-02T10:00:00Z'),
    description: 'Gene editing in patients.',
  },
];
const SAMPLE = rssFeed('Test Science', SAMPLE_ITEMS);
const ETAG = '"v1"';
const LAST_MODIFIED = 'Wed, 01 May 2024 10:00:00 GMT';

/** Entity-expansion bomb ("billion laughs"): 10 levels of 10 references, a gigabyte if expanded. */
export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n')}
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>`;

function builtins(): Map<string, TestRoute> {
  const feed = (res: http.ServerResponse, body: string | Buffer, type = 'application/rss+xml; charset=utf-8') => {
    res.writeHead(200, { 'content-type': type });
    res.end(body);
  };
  const redirect =
    (status: number, to: string): TestRoute =>
    (_req, res) => {
      res.writeHead(status, { location: to });
      res.end();
    };
  const compressed =
    (encoding: string, pack: (b: Buffer) => Buffer): TestRoute =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-encoding': encoding });
      res.end(pack(Buffer.from(SAMPLE)));
    };
  const routes = new Map<string, TestRoute>([
    [
      '/feed.xml',
      (req, res) => {
        if (req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === LAST_MODIFIED) {
          res.writeHead(304, { etag: ETAG, 'last-modified': LAST_MODIFIED, 'cache-control': 'max-age=900' });
          return res.end();
        }
        res.writeHead(200, {
          'content-type': 'application/rss+xml; charset=utf-8',
          etag: ETAG,
          'last-modified': LAST_MODIFIED,
          'cache-control': 'public, max-age=900',
        });
        res.end(SAMPLE);
      },
    ],
    ['/gzip', compressed('gzip', (b) => zlib.gzipSync(b))],
    ['/deflate', compressed('deflate', (b) => zlib.deflateSync(b))],
    ['/deflate-raw', compressed('deflate', (b) => zlib.deflateRawSync(b))],
    ['/br', compressed('br', (b) => zlib.brotliCompressSync(b))],
    ['/moved', redirect(301, '/feed.xml')],
    ['/moved-twice', redirect(308, '/moved')],
    ['/temporary', redirect(302, '/feed.xml')],
    ['/moved-then-temporary', redirect(301, '/temporary')],
    ['/loop-a', redirect(302, '/loop-b')],
    ['/loop-b', redirect(302, '/loop-a')],
    ...Array.from({ length: 8 }, (_, n): [string, TestRoute] => [
      `/chain/${n}`,
      redirect(302, n === 0 ? '/feed.xml' : `/chain/${n - 1}`),
    ]),
    [
      '/huge',
      (_req, res) => {
        // 20 MB without a Content-Length, in 64 KB chunks: only counting stops it.
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < 20 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => (sent = Infinity));
        pump();
      },
    ],
    [
      '/huge-declared',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(20 * 1024 * 1024) });
        res.end(Buffer.alloc(1024, 'a')); // the header alone must be enough to refuse
      },
    ],
    [
      '/gzip-bomb',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
        res.end(zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, ' '))); // ~50 KB on the wire, 50 MB unpacked
      },
    ],
    [
      '/slow',
      (_req, res) => {
        // One byte a second, forever (until the client gives up).
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const bytes = Buffer.from(SAMPLE);
        let i = 0;
        const timer = setInterval(() => (i < bytes.length ? res.write(bytes.subarray(i, ++i)) : res.end()), 1000);
        res.on('close', () => clearInterval(timer));
      },
    ],
    [
      '/becomes-html',
      (_req, res, hit) =>
        hit === 0
          ? feed(res, SAMPLE)
          : feed(
              res,
              '<!DOCTYPE html><html><head><title>Site moved</title></head><body><p>We redesigned!</p></body></html>',
              'text/html; charset=utf-8',
            ),
    ],
    [
      '/flaky',
      (_req, res, hit) => {
        if (hit < 3) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          return res.end('internal error');
        }
        feed(res, SAMPLE);
      },
    ],
    [
      '/huge-error',
      (_req, res) => {
        // A 500 whose error page never ends: the answer is the status, not the page.
        res.writeHead(500, { 'content-type': 'text/html' });
        const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024, 'e')), 5);
        res.on('close', () => clearInterval(timer));
      },
    ],
    [
      '/rate-limited',
      (_req, res) => {
        res.writeHead(429, { 'retry-after': '120' });
        res.end();
      },
    ],
    [
      '/gone',
      (_req, res) => {
        res.writeHead(410);
        res.end();
      },
    ],
    ['/bomb', (_req, res) => feed(res, BILLION_LAUGHS, 'application/xml')],
    // The header says UTF-8; the bytes are GBK and the XML declaration says gb2312.
    [
      '/gbk-mislabelled',
      (_req, res) =>
        feed(
          res,
          iconv.encode(rssFeed('科学新闻', [{ title: '量子纠缠实验', guid: 'q1' }], { encoding: 'gb2312' }), 'gbk'),
        ),
    ],
    [
      '/gbk-declared',
      (_req, res) =>
        feed(
          res,
          iconv.encode(rssFeed('科学新闻', [{ title: '量子纠缠实验', guid: 'q1' }], { encoding: 'GB2312' }), 'gbk'),
          'application/rss+xml',
        ),
    ],
    [
      '/big5-header',
      (_req, res) =>
        feed(
          res,
          iconv.encode(rssFeed('科學新聞', [{ title: '量子糾纏實驗', guid: 'q1' }], { encoding: 'UTF-8' }), 'big5'),
          'application/rss+xml; charset=big5',
        ),
    ],
    [
      '/cp1251',
      (_req, res) =>
        feed(
          res,
          iconv.encode(
            rssFeed('Новости науки', [{ title: 'Квантовая запутанность', guid: 'r1' }], { encoding: 'windows-1251' }),
            'win1251',
          ),
          'text/xml',
        ),
    ],
    [
      '/utf16',
      (_req, res) =>
        feed(
          res,
          iconv.encode(rssFeed('Wide news', [{ title: 'Ünïcödé', guid: 'w1' }], { encoding: 'UTF-16' }), 'utf-16le', {
            addBOM: true,
          }),
          'application/xml',
        ),
    ],
    [
      '/utf32-nobom',
      (_req, res) =>
        feed(
          res,
          iconv.encode(
            rssFeed('Wider news', [{ title: 'Ünïcödé 32', guid: 'w2' }], { encoding: 'UTF-32' }),
            'utf-32be',
          ),
          'application/xml',
        ),
    ],
  ]);
  return routes;
}

/** Starts the feed server on 127.0.0.1 (a free port), with the built-in routes. */
export async function startFeedServer(options: { holdMs?: number } = {}): Promise<FeedServer> {
  const routes = builtins();
  const hits = new Map<string, number>();
  const headers = new Map<string, http.IncomingHttpHeaders>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const hit = hits.get(path) ?? 0;
    hits.set(path, hit + 1);
    headers.set(path, req.headers);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const handler = routes.get(path);
    const run = () => {
      if (handler) return handler(req, res, hit);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    };
    if (options.holdMs) setTimeout(run, options.holdMs);
    else run();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    route: (path, handler) => void routes.set(path, handler),
    hits: (path) => hits.get(path) ?? 0,
    lastHeaders: (path) => headers.get(path),
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
