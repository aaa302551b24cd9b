import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { FetchError, FetchErrorCode } from './fetch-types';

/** What one HTTP exchange (no redirect following) ends in. */
export type HopResult =
  | { kind: 'response'; status: number; headers: http.IncomingHttpHeaders; body: Buffer }
  | { kind: 'head-only'; status: number; headers: http.IncomingHttpHeaders }
  | FetchError;

/** Settings of one hop. */
export interface HopOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  agent: http.Agent;
  lookup: NonNullable<http.RequestOptions['lookup']>;
  signal?: AbortSignal;
}

// Bytes of an unwanted body (error page, redirect notice) read to keep the socket; past it, close.
const DRAIN_LIMIT = 64 * 1024;

function fail(code: FetchErrorCode, message: string, retryable: boolean): FetchError {
  return { kind: 'error', code, message, retryable };
}

function decompress(body: Buffer, encoding: string, maxBytes: number): Promise<Buffer> {
  const opts = { maxOutputLength: maxBytes + 1 };
  const done = (resolve: (b: Buffer) => void, reject: (e: Error) => void) => (err: Error | null, out: Buffer) =>
    err ? reject(err) : resolve(out);
  return new Promise((resolve, reject) => {
    const cb = done(resolve, reject);
    if (encoding === 'gzip' || encoding === 'x-gzip') zlib.gunzip(body, opts, cb);
    else if (encoding === 'br') zlib.brotliDecompress(body, opts, cb);
    // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate: tell by the header byte.
    else if (encoding === 'deflate' && ((body[0] ?? 0) & 0x0f) === 8) zlib.inflate(body, opts, cb);
    else if (encoding === 'deflate') zlib.inflateRaw(body, opts, cb);
    else resolve(body);
  });
}

function describeNetError(err: NodeJS.ErrnoException, host: string): FetchError {
  if (err.code === 'EBLOCKED') return fail('blocked-address', err.message, false);
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN')
    return fail('dns', `cannot resolve ${host} (${err.code})`, true);
  if (err.code === 'ERR_INVALID_URL') return fail('invalid-url', err.message, false);
  return fail('connect', `${host}: ${err.code ?? err.message}`, true);
}

/**
 * Performs one GET and reads the body under a byte cap and a deadline that covers headers and
 * body together, so a server sending one byte a second is cut off on time.
 */
export function requestOnce(url: URL, options: HopOptions): Promise<HopResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: HopResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, {
      method: 'GET',
      headers: options.headers,
      agent: options.agent,
      lookup: options.lookup,
    });
    const timer = setTimeout(() => {
      finish(fail('timeout', `no complete answer from ${url.host} within ${options.timeoutMs} ms`, true));
      req.destroy();
    }, options.timeoutMs);
    const onAbort = () => {
      finish(fail('aborted', 'fetch aborted', true));
      req.destroy();
    };
    options.signal?.addEventListener('abort', onAbort);
    req.on('error', (err: NodeJS.ErrnoException) => finish(describeNetError(err, url.host)));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        // Nothing in the body of a 304, a redirect or an error is needed: answer now, and let the
        // rest drain so the connection can be reused, unless it is big enough to waste time on.
        finish({ kind: 'head-only', status, headers: res.headers });
        let drained = 0;
        res.on('data', (chunk: Buffer) => {
          drained += chunk.length;
          if (drained > DRAIN_LIMIT) req.destroy();
        });
        res.on('error', () => undefined);
        return;
      }
      const declared = Number(res.headers['content-length']);
      const encoding = String(res.headers['content-encoding'] ?? '')
        .trim()
        .toLowerCase();
      if (!encoding && declared > options.maxBytes) {
        finish(fail('too-large', `body of ${declared} bytes is over the ${options.maxBytes}-byte limit`, false));
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          finish(fail('too-large', `body is over the ${options.maxBytes}-byte limit`, false));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err: NodeJS.ErrnoException) => finish(describeNetError(err, url.host)));
      res.on('aborted', () => finish(fail('connect', `${url.host} closed the connection mid-body`, true)));
      res.on('end', () => {
        if (settled) return;
        decompress(Buffer.concat(chunks), encoding, options.maxBytes).then(
          (body) =>
            body.length > options.maxBytes
              ? finish(fail('too-large', `body is over the ${options.maxBytes}-byte limit after decompression`, false))
              : finish({ kind: 'response', status, headers: res.headers, body }),
          (err: NodeJS.ErrnoException) =>
            finish(
              err.code === 'ERR_BUFFER_TOO_LARGE'
                ? fail('too-large', `body is over the ${options.maxBytes}-byte limit after decompression`, false)
                : fail('decode', `cannot decompress the ${encoding} body: ${err.message}`, true),
            ),
        );
      });
    });
    req.end();
  });
}
