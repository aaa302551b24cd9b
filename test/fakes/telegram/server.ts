import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFloodControl, TELEGRAM_LIMITS, type FloodLimits } from './limits';
import { ApiError, createMethods, SENDING_METHODS, type PhotoCheck } from './methods';
import {
  createFakeState,
  type FakeChat,
  type FakeMessage,
  type FakeState,
  type FakeUser,
  type MemberStatus,
} from './state';
import { createUserActions, type UserActions } from './users';

/** Options of the fake Bot API server. */
export interface FakeTelegramOptions {
  token?: string;
  limits?: FloodLimits;
  /** Whether Telegram could fetch a photo URL; default: http(s) URLs ending in an image extension. */
  photoCheck?: PhotoCheck;
  /** Called for every accepted send, after it is stored and before the answer leaves; the answer waits for it (crash tests). */
  onSend?: (message: FakeMessage) => void | Promise<void>;
}

/** One API call as the fake received it. */
export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
  status: number;
  description?: string;
}

/** The fake Telegram: point grammY at `apiRoot`; drive users and inspect chats from the test. */
export interface FakeTelegram extends UserActions {
  apiRoot: string;
  token: string;
  bot: FakeUser;
  state: FakeState;
  calls: FakeCall[];
  addChat(chat: {
    id: number;
    type: FakeChat['type'];
    title?: string;
    is_forum?: boolean;
    topics?: number[];
    botStatus?: MemberStatus;
  }): FakeChat;
  setMember(chatId: number, userId: number, status: MemberStatus): void;
  /** Messages the bot has in a chat (or in every chat), oldest first. */
  messages(chatId?: number): FakeMessage[];
  /** Makes the next call of `method` fail with this error (once, or `times`). */
  failNext(
    method: string,
    error: { code: number; description: string; parameters?: Record<string, unknown> },
    times?: number,
  ): void;
  /** Replaces the onSend hook (see {@link FakeTelegramOptions.onSend}). */
  setOnSend(hook: FakeTelegramOptions['onSend']): void;
  /**
   * Queues faults for the next sends to one chat, one per send: an error answer (a 500, say), or
   * a hang of `hangMs` before the send is handled as usual (a platform holding a request).
   */
  faultChat(chatId: number, ...faults: ({ code: number; description: string } | { hangMs: number })[]): void;
  /** 429s answered so far. */
  tooManyRequests(): number;
  /** Long polls answered 409 because another getUpdates came in meanwhile (two bot instances polling). */
  pollConflicts(): number;
  /** Waits until `predicate` holds (polling), or throws after `timeoutMs`. */
  waitFor<T>(predicate: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

const PHOTO_DEFAULT: PhotoCheck = (url) =>
  !/^https?:\/\//.test(url)
    ? 'wrong file identifier/HTTP URL specified'
    : /\.(jpe?g|png|webp|gif)(\?.*)?$/i.test(url)
      ? null
      : 'wrong type of the web page content';

/** A small multipart/form-data reader: text fields (JSON-decoded when they look like JSON) and files. */
function parseMultipart(raw: Buffer, boundary: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = raw.indexOf(delimiter);
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    const part = raw.subarray(start + 2, next - 2); // skip the CRLF after the boundary and before the next
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const body = part.subarray(split + 4);
    const name = /[;\s]name="([^"]*)"/i.exec(head)?.[1];
    const fileMatch = /filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(head);
    const filename = fileMatch ? (fileMatch[1] ?? fileMatch[2]) : undefined;
    if (name !== undefined) {
      if (filename !== undefined) out[name] = { name: filename, content: Buffer.from(body) };
      else {
        const text = body.toString('utf8');
        out[name] = /^[[{]/.test(text) ? (JSON.parse(text) as unknown) : text;
      }
    }
    pos = next;
  }
  return out;
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return {};
  if (type.startsWith('application/json')) return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  if (type.startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
  if (type.startsWith('multipart/form-data') && boundary) {
    const out = parseMultipart(raw, boundary);
    // grammY sends a file field as `attach://<id>`; resolve it to the uploaded part.
    for (const [key, value] of Object.entries(out)) {
      if (typeof value === 'string' && value.startsWith('attach://')) out[key] = out[value.slice(9)];
    }
    return out;
  }
  return {};
}

/** Starts the fake Bot API on 127.0.0.1. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? '123456:TEST-token';
  const bot: FakeUser = {
    id: Number(token.split(':')[0]),
    is_bot: true,
    first_name: 'SciPop',
    username: 'scipop_test_bot',
  };
  const state = createFakeState(bot);
  const methods = createMethods(state, options.photoCheck ?? PHOTO_DEFAULT);
  const flood = createFloodControl(options.limits ?? TELEGRAM_LIMITS);
  const calls: FakeCall[] = [];
  const injected = new Map<string, { error: ConstructorParameters<typeof ApiError>; times: number }>();
  let rejected429 = 0;
  const chatFaults = new Map<number, ({ code: number; description: string } | { hangMs: number })[]>();
  let conflicts = 0;
  let onSend = options.onSend;
  let waiter: { res: http.ServerResponse; wake: () => void } | null = null;

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: http.ServerResponse, e: ApiError) =>
    send(res, e.code, {
      ok: false,
      error_code: e.code,
      description: e.description,
      ...(e.parameters ? { parameters: e.parameters } : {}),
    });

  const getUpdates = (params: Record<string, unknown>, req: http.IncomingMessage, res: http.ServerResponse) => {
    if (state.webhook)
      return fail(
        res,
        new ApiError(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        ),
      );
    const offset = Number(params.offset ?? 0);
    if (offset > 0) state.updates = state.updates.filter((u) => (u.update_id as number) >= offset);
    const allowed = params.allowed_updates as string[] | undefined;
    const limit = Math.min(100, Number(params.limit ?? 100));
    const ready = () =>
      state.updates.filter((u) => !allowed || allowed.length === 0 || allowed.some((k) => k in u)).slice(0, limit);
    if (waiter) {
      // Telegram answers the older of two concurrent long polls with 409.
      conflicts++;
      fail(
        waiter.res,
        new ApiError(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        ),
      );
      waiter.wake();
    }
    const timeoutMs = Number(params.timeout ?? 0) * 1000;
    const answer = () => send(res, 200, { ok: true, result: ready() });
    if (ready().length > 0 || timeoutMs === 0) return answer();
    // eslint-disable-next-line prefer-const -- assigned after `me`, which the timer calls
    let timer: NodeJS.Timeout;
    const me = {
      res,
      wake: () => {
        clearTimeout(timer);
        if (waiter === me) waiter = null;
        answer();
      },
    };
    timer = setTimeout(me.wake, timeoutMs);
    waiter = me;
    req.on('close', () => {
      if (waiter === me) {
        clearTimeout(timer);
        waiter = null;
      }
    });
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (file) {
        const found =
          file[1] === token
            ? [...state.files.values()].find((f) => f.file_path === decodeURIComponent(file[2]!))
            : undefined;
        if (!found) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(found.content.length),
        });
        return res.end(found.content);
      }
      const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      if (m[1] !== token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const method = m[2]!;
      const params = { ...Object.fromEntries(url.searchParams), ...(await readBody(req)) };
      const at = Date.now();
      const call: FakeCall = { method, params, at, status: 200 };
      calls.push(call);
      if (method === 'getUpdates') return getUpdates(params, req, res);
      const impl = methods[method];
      if (!impl) {
        call.status = 404;
        return send(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
      }
      try {
        const inject = injected.get(method);
        if (inject) {
          if (--inject.times <= 0) injected.delete(method);
          throw new ApiError(...inject.error);
        }
        const chatId = Number(params.chat_id);
        const fault = SENDING_METHODS.has(method) ? chatFaults.get(chatId)?.shift() : undefined;
        if (fault && 'hangMs' in fault) await new Promise((r) => setTimeout(r, fault.hangMs));
        else if (fault) throw new ApiError(fault.code, fault.description);
        if (SENDING_METHODS.has(method)) {
          const wait = flood.check(chatId, at);
          if (wait > 0) {
            rejected429++;
            const retryAfter = Math.max(1, Math.ceil(wait / 1000));
            throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
          }
        }
        const result = impl(params, at);
        if (SENDING_METHODS.has(method)) {
          flood.record(chatId, at);
          await onSend?.(state.messages[state.messages.length - 1]!);
        }
        send(res, 200, { ok: true, result });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        call.status = error.code;
        call.description = error.description;
        fail(res, error);
      }
    })().catch((error: unknown) =>
      send(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(error)}` }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  /** Delivers queued updates to the webhook one at a time, in order, retrying until it answers 2xx. */
  let posting = false;
  const flushWebhook = async () => {
    if (posting) return;
    posting = true;
    try {
      while (state.webhook && state.updates.length > 0) {
        const hook = state.webhook;
        const update = state.updates[0]!;
        const ok = await fetch(hook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(hook.secretToken ? { 'x-telegram-bot-api-secret-token': hook.secretToken } : {}),
          },
          body: JSON.stringify(update),
        }).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) state.updates.shift();
        else await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      posting = false;
    }
  };
  const pushUpdate = (update: Record<string, unknown>) => {
    state.updates.push({ update_id: state.nextUpdateId++, ...update });
    if (state.webhook) void flushWebhook();
    else waiter?.wake();
  };
  const users = createUserActions(state, pushUpdate);

  return {
    ...users,
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    bot,
    state,
    calls,
    addChat: (c) => {
      const chat: FakeChat = {
        id: c.id,
        type: c.type,
        members: new Map(),
        botStatus: c.botStatus ?? (c.type === 'private' ? 'member' : 'administrator'),
        topics: new Set(c.topics ?? []),
        nextMessageId: 1,
      };
      if (c.title !== undefined) chat.title = c.title;
      if (c.is_forum) chat.is_forum = true;
      state.chats.set(chat.id, chat);
      return chat;
    },
    setMember: (chatId, userId, status) => void state.chats.get(chatId)?.members.set(userId, status),
    messages: (chatId) =>
      state.messages.filter((m) => m.from.id === bot.id && (chatId === undefined || m.chat_id === chatId)),
    failNext: (method, e, times = 1) =>
      void injected.set(method, { error: [e.code, e.description, e.parameters], times }),
    setOnSend: (hook) => void (onSend = hook),
    faultChat: (chatId, ...faults) => void chatFaults.set(chatId, [...(chatFaults.get(chatId) ?? []), ...faults]),
    tooManyRequests: () => rejected429,
    pollConflicts: () => conflicts,
    waitFor: async (predicate, timeoutMs = 20_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const v = predicate();
        if (v !== undefined && v !== false) return v;
        if (Date.now() > until) throw new Error(`fake Telegram: condition not met within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        state.webhook = null;
        waiter?.wake();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
