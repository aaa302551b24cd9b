import type { Hono } from 'hono';
import type { CommandDeps } from '../platform/commands';
import type { AppEnv, PageKit } from './kit';

/** The Delivery log page. */
export function mountDeliveryLog(_app: Hono<AppEnv>, _kit: PageKit, _deps: CommandDeps): void {}
