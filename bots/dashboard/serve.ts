import http from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { listen, type OpsRoute, type OpsServer } from '../engine/http-server';
import type { CommandDeps } from '../platform/commands';
import { createDashboardApp } from './app';
import type { DashboardConfig } from './config';
import { createDashboardAuth, type DashboardAuth } from './sign-in';

/** The dashboard of a network: the links `/dashboard` hands out and the route that serves the pages. */
export interface Dashboard {
  auth: DashboardAuth;
  /** Where moderators find it: the base URL's `/dashboard/`. */
  at: string;
  /** Serves `/dashboard/…` on the ops server (SCIPOP_HTTP_PORT). */
  route(deps: CommandDeps): OpsRoute;
}

/**
 * The dashboard when the network serves it: a public base URL (SCIPOP_DASHBOARD_URL, else
 * `dashboard.baseUrl`) and an HTTP server to serve it on. Null otherwise: `/dashboard` then says
 * how to turn it on.
 */
export function createDashboard(options: {
  config: DashboardConfig;
  baseUrl: string | undefined;
  store: CommandDeps['store'];
  now: () => number;
  leaseMs: number;
}): Dashboard | null {
  const baseUrl = options.baseUrl ?? options.config.baseUrl;
  if (!baseUrl) return null;
  const auth = createDashboardAuth({
    store: options.store,
    baseUrl,
    sessionMs: options.config.sessionHours * 3_600_000,
    now: options.now,
  });
  return {
    auth,
    at: new URL('/dashboard/', baseUrl).toString(),
    route(deps) {
      const app = createDashboardApp({ auth, deps, baseUrl, leaseMs: options.leaseMs });
      // Hono's Node adapter on our own server; it must not replace the process's global Request and Response.
      const listener = getRequestListener(app.fetch, { overrideGlobalObjects: false });
      return async (req, res, path) => {
        if (path !== '/dashboard' && !path.startsWith('/dashboard/')) return false;
        await listener(req, res);
        return true;
      };
    },
  };
}

/** Serves the dashboard alone on `port` (`dashboard.port`): every other path is a 404. */
export async function startDashboardServer(port: number, route: OpsRoute, host = '0.0.0.0'): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    route(req, res, path)
      .then((answered) => {
        if (!answered)
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the dashboard is at /dashboard/\n');
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('error\n');
      });
  });
  return listen(server, port, host);
}
