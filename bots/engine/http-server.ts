import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { errorMessage } from '../../shared/errors';

/** A route of the ops server: answers and returns true, or returns false to let the next one try. */
export type OpsRoute = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;

/** What /healthz reports. */
export interface Health {
  ok: boolean;
  [key: string]: unknown;
}

/** A running /healthz + /metrics server. */
export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `/healthz` (200 with JSON while healthy, 503 otherwise) and Prometheus `/metrics` on
 * SCIPOP_HTTP_PORT, and whatever `routes` answer (the published glossary). No feed text or config
 * is ever exposed here.
 */
export async function startOpsServer(
  port: number,
  registry: Registry,
  health: () => Promise<Health>,
  host = '0.0.0.0',
  routes: readonly OpsRoute[] = [],
): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = async () => {
      for (const route of routes) if (await route(req, res, path ?? '/')) return;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (path === '/healthz') {
        const h = await health();
        res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(h));
      } else if (path === '/metrics') {
        const body = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType }).end(body);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
      }
    };
    answer().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`error: ${errorMessage(error)}\n`);
    });
  });
  return listen(server, port, host);
}

/** Starts `server` on `port` (0: any free port); its close ends open connections too. */
export async function listen(server: http.Server, port: number, host: string): Promise<OpsServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
