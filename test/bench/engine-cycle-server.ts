// A feed host for the engine-cycle benchmark, run as its own process so its CPU and memory do not
// count against the engine's. GET /feed/N answers 304 to the current ETag, else a 20-item RSS;
// POST /bump?every=K adds one new item to every Kth feed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const versions = new Map<number, number>();
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function feed(n: number, v: number): string {
  const items: string[] = [];
  for (let i = v + 19; i >= v; i--) {
    const date = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toUTCString();
    items.push(
      `<item><title>${esc(`Source ${n}: telescope finds exoplanet ${i}`)}</title><link>https://news.example/${n}/${i}</link><guid>${n}-${i}</guid><pubDate>${date}</pubDate>` +
        `<description>${esc(`<p>Astronomers used <b>spectroscopy</b> on result ${i}; the quasar and the neutron star were also observed.</p>`)}</description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench ${n}</title><link>https://news.example/${n}</link>${items.join('')}</channel></rss>`;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method === 'POST' && url.pathname === '/bump') {
    const every = Number(url.searchParams.get('every') ?? '20');
    const total = Number(url.searchParams.get('total') ?? '10000');
    let bumped = 0;
    for (let n = 0; n < total; n += every) {
      versions.set(n, (versions.get(n) ?? 0) + 1);
      bumped++;
    }
    res.writeHead(200).end(String(bumped));
    return;
  }
  const m = /^\/feed\/(\d+)$/.exec(url.pathname);
  if (!m) return void res.writeHead(404).end();
  const n = Number(m[1]);
  const v = versions.get(n) ?? 0;
  const etag = `"${n}-${v}"`;
  if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(feed(n, v));
});
server.keepAliveTimeout = 60_000;
server.listen(0, '0.0.0.0', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
