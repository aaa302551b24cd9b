import type { HttpBindings } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';
import type { DashboardGrant } from '../store/dashboard-types';
import type { Frame } from './html';

/** The signed-in session of a request. */
export interface Signed {
  token: string;
  grant: DashboardGrant;
  csrf: string;
}

/** The Hono environment of the dashboard's routes. */
export type AppEnv = { Bindings: HttpBindings; Variables: { signed: Signed } };

/** What a page module needs from the app (bots/dashboard/app.ts) to mount its routes. */
export interface PageKit {
  /** Refuses the request unless a session cookie signs it in; sets `signed`. */
  signedIn: MiddlewareHandler<AppEnv>;
  /** Refuses a change whose form lacks the session's CSRF token. */
  csrfToken: MiddlewareHandler<AppEnv>;
  /** The page frame for the signed-in moderator. */
  frameOf: (s: Signed, title: string, current?: Frame['current']) => Frame;
}
