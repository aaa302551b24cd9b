import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeGateway, type FakeGateway } from './gateway';
import { ApiError } from './messages';
import { createRateLimiter, DISCORD_RATE_LIMITS, type FakeRateLimits, type RateLimiter } from './rate-limit';
import { createRoutes, type Route } from './routes';
import { createFakeDiscordState, type FakeDiscordState, type FakeMessage } from './state';
import { errorMessage } from '../../../shared/errors';

/** Options of the fake Discord. */
export interface FakeDiscordServerOptions {
  token?: string;
  rateLimits?: Partial<FakeRateLimits>;
  heartbeatMs?: number;
  /** How long enforce_nonce remembers a nonce; 0 turns the dedup off (to test what else prevents duplicates). */
  nonceWindowMs?: number;
  onCreate?: (message: FakeMessage) => void;
}

/** One REST request as the fake answered it. */
export interface FakeRequest {
  method: string;
  path: string;
  status: number;
  body: unknown;
  code?: number;
}

/** The HTTP side of the fake: REST under /api/v10, attachments, and the gateway's socket. */
export interface FakeDiscordServer {
  /** For discord.js: `rest: { api: apiBase }` (DISCORD_API_BASE). */
  apiBase: string;
  gatewayUrl: string;
  token: string;
  state: FakeDiscordState;
  gateway: FakeGateway;
  limiter: RateLimiter;
  requests: FakeRequest[];
  /**
   * Makes the next requests to a route (`'GET /gateway/bot'`, the pattern as routes.ts writes it)
   * answer `status` with Discord's error body, `times` times: a 500 during an incident, say.
   */
  failNext(route: string, status: number, times?: number): void;
  /** Serves a file as an attachment URL (OPML imports). */
  attach(name: string, body: string | Buffer): { id: string; url: string; filename: string; size: number };
  close(): Promise<void>;
}

async function readBody(req: http.IncomingMessage): Promise<{ raw: Buffer; body: Record<string, unknown> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { raw, body: {} };
  if (type.startsWith('multipart/form-data')) {
    // discord.js sends files as multipart: a payload_json part and files[n] parts.
    const form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: raw,
    }).formData();
    const body = JSON.parse(String(form.get('payload_json') ?? '{}')) as Record<string, unknown>;
    const files: { name: string; size: number; text: string }[] = [];
    for (const [key, value] of form.entries()) {
      if (key.startsWith('files[') && typeof value !== 'string')
        files.push({ name: value.name, size: value.size, text: await value.text() });
    }
    return { raw, body: { ...body, files } };
  }
  return { raw, body: JSON.parse(raw.toString('utf8')) as Record<string, unknown> };
}

function match(route: Route, method: string, path: string): string[] | null {
  if (route.method !== method) return null;
  const want = route.pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: string[] = [];
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) params.push(decodeURIComponent(got[i]!));
    else if (want[i] !== decodeURIComponent(got[i]!)) return null;
  }
  return params;
}

/** Starts the fake on 127.0.0.1 at a free port. */
export async function startFakeDiscordServer(options: FakeDiscordServerOptions = {}): Promise<FakeDiscordServer> {
  const token = options.token ?? 'fake-discord-token';
  const state = createFakeDiscordState();
  if (options.nonceWindowMs !== undefined) state.nonceWindowMs = options.nonceWindowMs;
  const limiter = createRateLimiter({ ...DISCORD_RATE_LIMITS, ...options.rateLimits });
  const requests: FakeRequest[] = [];
  const injected = new Map<string, { status: number; times: number }>();
  let base = '';
  const routes = createRoutes({
    state,
    gatewayUrl: () => `${base.replace(/^http/, 'ws')}/gateway`,
    ...(options.onCreate ? { onCreate: options.onCreate } : {}),
  });

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        requests.push({
          method: req.method ?? 'GET',
          path: url.pathname,
          status,
          body,
          ...(body && typeof body === 'object' && 'code' in body
            ? { code: Number((body as { code: unknown }).code) }
            : {}),
        });
        res.writeHead(status, { ...headers, ...(status === 204 ? {} : { 'content-type': 'application/json' }) });
        res.end(status === 204 ? undefined : JSON.stringify(body));
      };
      const file = /^\/attachments\/(\d+)\//.exec(url.pathname);
      if (file) {
        const stored = state.files.get(file[1]!);
        if (!stored) return send(404, { message: '404: Not Found', code: 0 });
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(stored.body);
      }
      const path = url.pathname.replace(/^\/api\/v10/, '');
      let params: string[] | null = null;
      const route = routes.find((r) => (params = match(r, req.method ?? 'GET', path)) !== null);
      if (!route || !params || !url.pathname.startsWith('/api/v10/'))
        return send(404, { message: '404: Not Found', code: 0 });
      if (route.auth && req.headers.authorization !== `Bot ${token}`)
        return send(401, { message: '401: Unauthorized', code: 0 });
      const fault = injected.get(`${route.method} ${route.pattern}`);
      if (fault) {
        if (--fault.times <= 0) injected.delete(`${route.method} ${route.pattern}`);
        return send(fault.status, {
          message: `${fault.status}: ${http.STATUS_CODES[fault.status] ?? 'Error'}`,
          code: 0,
        });
      }
      let body: Record<string, unknown>;
      try {
        body = (await readBody(req)).body;
      } catch {
        return send(400, { message: 'The request body contains invalid JSON.', code: 50109 });
      }
      const matched: string[] = params;
      let headers: Record<string, string> = {};
      if (route.major !== undefined || route.limited) {
        const decision = limiter.check(
          `${route.method} ${route.pattern}`,
          route.major !== undefined ? (matched[route.major] ?? '') : '',
        );
        headers = decision.headers;
        if (decision.status === 429 && route.limited) return send(429, decision.body, headers);
      }
      try {
        const answer = route.handle({ method: route.method, params: matched, query: url.searchParams, body });
        send(answer.status, answer.body, headers);
      } catch (error) {
        if (error instanceof ApiError) return send(error.status, error.body, headers);
        send(500, { message: `500: Internal Server Error (${errorMessage(error)})`, code: 0 });
      }
    })();
  });
  // Node's default (5 s) closes an idle connection sooner than Discord's edge does. The bot's next
  // request on it then fails with "other side closed" when its event loop was busy past the
  // client's keep-alive timer (a draft's glossary checks on a loaded machine did that).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gateway = createFakeGateway(
    server,
    state,
    () => token,
    () => `${base.replace(/^http/, 'ws')}/gateway`,
    options.heartbeatMs,
  );

  return {
    apiBase: `${base}/api`,
    gatewayUrl: `${base.replace(/^http/, 'ws')}/gateway`,
    token,
    state,
    gateway,
    limiter,
    requests,
    failNext(route, status, times = 1) {
      injected.set(route, { status, times });
    },
    attach(name, body) {
      const id = state.snowflake();
      const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      state.files.set(id, { name, body: buffer });
      return { id, url: `${base}/attachments/${id}/${encodeURIComponent(name)}`, filename: name, size: buffer.length };
    },
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
