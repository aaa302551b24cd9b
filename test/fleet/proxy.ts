import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a worker made to a platform, as its proxy saw it pass. */
export interface ProxiedCall {
  worker: number;
  platform: 'telegram' | 'discord';
  method: string;
  path: string;
  /** The destination it concerns: Telegram `chat_id`, or the Discord channel id in the path. */
  dest: string | null;
  /** True for a post to a destination (Telegram send*, Discord POST …/messages). */
  send: boolean;
  status: number;
  /** A 429's scope as Discord's X-RateLimit-Scope says it (`user`: a route bucket, `global`: the bot's overall cap). */
  scope?: string;
  /** When the platform's answer came back (ms). */
  at: number;
}

/**
 * Called with each answer before it is passed on to the worker. Returning a promise holds the
 * answer until it settles: the test kills a worker while it holds answers, so those posts are on
 * the platform but their senders never learn it (the crash window between a send and its mark).
 */
export type AnswerHook = (call: ProxiedCall) => void | Promise<void>;

/** A proxy in front of one fake platform for one worker. */
export interface WorkerProxy {
  url: string;
  close(): Promise<void>;
}

const SEND = /^\/bot[^/]+\/(sendMessage|sendPhoto|sendDocument|sendMediaGroup)$/;
const DISCORD_CHANNEL = /^\/api\/v10\/channels\/(\d+)\//;
const DISCORD_SEND = /^\/api\/v10\/channels\/\d+\/messages$/;

function telegramChat(body: Buffer, type: string | undefined): string | null {
  if (body.length === 0) return null;
  try {
    if (type?.startsWith('application/json'))
      return String((JSON.parse(body.toString('utf8')) as { chat_id?: unknown }).chat_id ?? '') || null;
    // multipart (sendPhoto with an upload) or urlencoded: a plain search is enough to attribute it.
    const m = /name="chat_id"\r\n\r\n(-?\d+)|chat_id=(-?\d+)/.exec(body.toString('utf8'));
    return m ? (m[1] ?? m[2]!) : null;
  } catch {
    return null;
  }
}

/**
 * Starts a pass-through proxy to `target` for worker `worker`. The fakes cannot tell the workers
 * apart (one bot token, one client library each); a proxy per worker and platform can, which is
 * how the test knows who sent what and whom to kill. It changes no request and no answer.
 */
export async function startWorkerProxy(
  worker: number,
  platform: ProxiedCall['platform'],
  target: string,
  onAnswer: AnswerHook,
): Promise<WorkerProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const bare = path.split('?')[0]!;
      const headers = { ...req.headers, host: upstream.host };
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path, headers, agent },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            const call: ProxiedCall = {
              worker,
              platform,
              method: req.method ?? 'GET',
              path: bare,
              dest:
                platform === 'telegram'
                  ? telegramChat(body, req.headers['content-type'])
                  : (DISCORD_CHANNEL.exec(`${bare}/`)?.[1] ?? null),
              send: platform === 'telegram' ? SEND.test(bare) : req.method === 'POST' && DISCORD_SEND.test(bare),
              status: answer.statusCode ?? 0,
              ...(answer.statusCode === 429 && answer.headers['x-ratelimit-scope']
                ? { scope: String(answer.headers['x-ratelimit-scope']) }
                : {}),
              at: Date.now(),
            };
            const relay = () => {
              if (res.destroyed) return;
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(parts));
            };
            const held = onAnswer(call);
            if (held) void held.then(relay, relay);
            else relay();
          });
        },
      );
      out.on('error', (error) => {
        if (res.destroyed) return;
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fleet proxy: ${error.message}`);
      });
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
