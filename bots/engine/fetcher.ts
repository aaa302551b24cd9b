import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { decodeFeedBytes } from './charset-decode';
import { createKeyedLimiter } from './fetch-limiter';
import { requestOnce } from './fetch-request';
import type { FetchError, Fetcher, FetcherOptions, FetchRequestOptions, FetchResult } from './fetch-types';
import { createGuardedLookup, isPrivateAddress } from './ssrf-guard';

export type * from './fetch-types';

/** The User-Agent sent when none is configured. */
export const DEFAULT_USER_AGENT = 'SciPop/0.1 (science feed reader; polls each feed no more than every few minutes)';
/** The body cap when none is configured: 5 MB. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

function fail(
  code: FetchError['code'],
  message: string,
  retryable: boolean,
  extra: Partial<FetchError> = {},
): FetchError {
  return { kind: 'error', code, message, retryable, ...extra };
}

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function maxAge(headers: http.IncomingHttpHeaders): number | undefined {
  const cc = header(headers, 'cache-control');
  const match = cc ? /(?:^|[,\s])(?:s-maxage|max-age)\s*=\s*"?(\d+)/i.exec(cc) : null;
  return match ? Number(match[1]) : undefined;
}

function retryAfter(headers: http.IncomingHttpHeaders): number | undefined {
  const value = header(headers, 'retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - Date.now()) / 1000));
}

function parseTarget(raw: string): URL | FetchError {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('invalid-url', `not a valid URL: ${raw.slice(0, 200)}`, false);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return fail('invalid-url', `only http and https URLs can be fetched, not ${url.protocol}`, false);
  url.hash = '';
  return url;
}

/**
 * Creates the HTTP fetcher the poller uses: conditional GET, gzip/deflate/br, redirects (at most
 * `maxRedirects`, loops caught, permanent ones reported), a deadline and a size cap per request,
 * a per-host concurrency limit, charset decoding and the SSRF guard on every hop.
 */
export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? 5;
  const limiter = createKeyedLimiter(options.perHostConcurrency ?? 2);
  const isBlocked = options.allowPrivateNetworks ? () => false : (options.isBlockedAddress ?? isPrivateAddress);
  const lookup = createGuardedLookup(isBlocked);
  // Kept-alive sockets save a handshake on the next poll of the same host; idle ones are closed
  // after 30 s so thousands of sources do not hold thousands of sockets open.
  const agentOptions = { keepAlive: true, maxFreeSockets: 4, timeout: 30_000 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;

  async function follow(start: URL, request: FetchRequestOptions): Promise<FetchResult> {
    let url = start;
    let permanentRedirect: string | undefined;
    let stillPermanent = true;
    const seen = new Set<string>([url.href]);
    for (let hop = 0; ; hop++) {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (net.isIP(host) && isBlocked(host)) {
        return fail(
          'blocked-address',
          `${host} is a loopback/private/link-local address (set SCIPOP_ALLOW_PRIVATE_NETWORKS=1 to allow)`,
          false,
          { finalUrl: url.href },
        );
      }
      const headers: Record<string, string> = {
        'user-agent': userAgent,
        accept: ACCEPT,
        'accept-encoding': 'gzip, deflate, br',
      };
      // Validators belong to the stored URL; they are sent along redirects too, as browsers do.
      if (request.etag) headers['if-none-match'] = request.etag;
      if (request.lastModified) headers['if-modified-since'] = request.lastModified;
      const agent = url.protocol === 'https:' ? agents.https : agents.http;
      const hopResult = await requestOnce(url, { headers, timeoutMs, maxBytes, agent, lookup, signal: request.signal });
      if (hopResult.kind === 'error') return { ...hopResult, finalUrl: url.href };
      const { status, headers: res } = hopResult;
      const meta = {
        finalUrl: url.href,
        ...(permanentRedirect ? { permanentRedirect } : {}),
        ...(header(res, 'etag') ? { etag: header(res, 'etag') } : {}),
        ...(header(res, 'last-modified') ? { lastModified: header(res, 'last-modified') } : {}),
        ...(maxAge(res) !== undefined ? { maxAgeSeconds: maxAge(res) } : {}),
      };
      if (status === 304) return { kind: 'not-modified', ...meta };
      if ([301, 302, 303, 307, 308].includes(status)) {
        const location = header(res, 'location');
        if (!location)
          return fail('http-status', `HTTP ${status} redirect without a Location`, true, {
            status,
            finalUrl: url.href,
          });
        if (hop >= maxRedirects)
          return fail(
            'too-many-redirects',
            `more than ${maxRedirects} redirects (last to ${location.slice(0, 200)})`,
            true,
            { finalUrl: url.href },
          );
        const next = (() => {
          try {
            return parseTarget(new URL(location, url).href);
          } catch {
            return fail('invalid-url', `redirect to an invalid URL: ${location.slice(0, 200)}`, false);
          }
        })();
        if ('kind' in next) return { ...next, finalUrl: url.href };
        if (seen.has(next.href))
          return fail('redirect-loop', `redirect loop: ${url.href} → ${next.href}`, true, { finalUrl: url.href });
        seen.add(next.href);
        stillPermanent = stillPermanent && (status === 301 || status === 308);
        if (stillPermanent) permanentRedirect = next.href;
        url = next;
        continue;
      }
      if (hopResult.kind === 'head-only' || status < 200 || status >= 300) {
        const retryable = status >= 500 || status === 408 || status === 429 || status < 200;
        const after = retryAfter(res);
        return fail('http-status', `HTTP ${status} from ${url.host}`, retryable, {
          status,
          finalUrl: url.href,
          ...(after !== undefined ? { retryAfterSeconds: after } : {}),
        });
      }
      const contentType = header(res, 'content-type');
      const decoded = decodeFeedBytes(hopResult.body, contentType);
      return {
        kind: 'ok',
        status,
        body: decoded.text,
        charset: decoded.charset,
        bytes: hopResult.body.length,
        ...(contentType ? { contentType } : {}),
        ...meta,
      };
    }
  }

  return {
    fetch(raw, request = {}) {
      const url = parseTarget(raw);
      if ('kind' in url) return Promise.resolve(url);
      return limiter.run(url.host, () => follow(url, request));
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
