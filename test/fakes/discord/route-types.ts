import type { FakeDiscordState, FakeMessage } from './state';

/** One parsed request. */
export interface RouteRequest {
  method: string;
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
}

/** A route's answer: JSON body (or none for 204). */
export interface RouteAnswer {
  status: number;
  body?: unknown;
}

/** A route: method, a path pattern (`:x` is a parameter), whether it needs the bot token, and the handler. */
export interface Route {
  method: string;
  pattern: string;
  auth: boolean;
  /** Which parameter is the major one for rate limits (index into params), if any. */
  major?: number;
  limited?: boolean;
  handle(req: RouteRequest): RouteAnswer;
}

/** Hooks the server gives the routes. */
export interface RouteContext {
  state: FakeDiscordState;
  gatewayUrl(): string;
  /** Called after every message the bot creates, before the answer leaves (crash tests). */
  onCreate?: (message: FakeMessage) => void;
  onCallback?: (interactionId: string) => void;
}
