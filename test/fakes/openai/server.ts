import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake server supports for `response_format`, as real servers differ. */
export type Capability = 'json_schema' | 'json_object' | 'text';

/** A fault the next request meets, in order, before normal answers resume. */
export type Fault = '429' | '500' | 'hang' | 'malformed' | 'wrong-shape';

/** One chat request as the fake saw it. */
export interface SeenRequest {
  authorization: string | undefined;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string };
    max_tokens?: number;
  };
}

/** What the fake model writes for a request: the JSON answer (an object), given the term asked for. */
export type Brain = (input: { term: string; fixes: string[]; repair: boolean; instructions: string[] }) => unknown;

/** Options of {@link startFakeOpenAI}. */
export interface FakeOpenAIOptions {
  capability?: Capability;
  /** A key the server requires (401 otherwise, echoing the key it got, as careless servers do). */
  key?: string;
  brain: Brain;
  /** How long each answer takes (to observe requests in flight). */
  delayMs?: number;
}

/** A running fake OpenAI-compatible server. */
export interface FakeOpenAI {
  baseUrl: string;
  requests: SeenRequest[];
  /** The most requests it was answering at once. */
  maxInFlight: number;
  faults: Fault[];
  /** The key the server requires from now on (as when an operator rotates it); undefined: none. */
  key: string | undefined;
  close(): Promise<void>;
}

const error = (message: string, type: string, code: string | null, param: string | null = null) =>
  JSON.stringify({ error: { message, type, param, code } });

/**
 * A chat-completions server that answers as OpenAI-compatible servers do: the same JSON shapes,
 * error bodies and status codes (400 for an unsupported `response_format`, 401 for a bad key, 429
 * with `retry-after`, 500), usage counts, and the three output modes. Its "model" is a function
 * of the term; it obeys any `INSTRUCTION:` line it finds in the prompt OUTSIDE the data blocks the
 * system message fences, like a model that follows what looks like instructions — so a data block
 * that could be broken out of shows up as an obeyed instruction.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions): Promise<FakeOpenAI> {
  const capability = options.capability ?? 'json_schema';
  const requests: SeenRequest[] = [];
  const faults: Fault[] = [];
  const hanging = new Set<http.ServerResponse>();
  let inFlight = 0;
  const state: { maxInFlight: number; key: string | undefined } = { maxInFlight: 0, key: options.key };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || !/\/v1\/chat\/completions$/.test(req.url ?? '')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(error(`Unknown request URL: ${req.method} ${req.url}`, 'invalid_request_error', 'unknown_url'));
      }
      const body = JSON.parse(raw) as SeenRequest['body'];
      requests.push({ authorization: req.headers.authorization, body });
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      const send = (status: number, payload: string, headers: Record<string, string> = {}) => {
        setTimeout(() => {
          inFlight--;
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(payload);
        }, options.delayMs ?? 0);
      };
      if (state.key && req.headers.authorization !== `Bearer ${state.key}`) {
        const given = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        return send(401, error(`Incorrect API key provided: ${given}.`, 'invalid_request_error', 'invalid_api_key'));
      }
      const format = body.response_format?.type;
      if (format && (capability === 'text' || (capability === 'json_object' && format === 'json_schema'))) {
        return send(
          400,
          error(
            `Invalid parameter: 'response_format' of type '${format}' is not supported with this model.`,
            'invalid_request_error',
            null,
            'response_format',
          ),
        );
      }
      const fault = faults.shift();
      if (fault === '429') {
        return send(
          429,
          error('Rate limit reached for requests. Please try again in 1s.', 'requests', 'rate_limit_exceeded'),
          {
            'retry-after': '1',
          },
        );
      }
      if (fault === '500') {
        return send(
          500,
          error('The server had an error while processing your request. Sorry about that!', 'server_error', null),
        );
      }
      if (fault === 'hang') return void hanging.add(res);
      const prompt = body.messages.map((m) => m.content).join('\n');
      let content: string;
      if (fault === 'malformed') content = '{"id": "x", "term": "unfinished", "short": ';
      else if (fault === 'wrong-shape') content = JSON.stringify({ word: 'x', meaning: 'no' });
      else {
        const answer = options.brain(understand(body.messages));
        content =
          capability === 'text'
            ? `Here is the entry you asked for:\n\`\`\`json\n${JSON.stringify(answer, null, 2)}\n\`\`\``
            : JSON.stringify(answer);
      }
      const promptTokens = Math.ceil(prompt.length / 4);
      const answerTokens = Math.ceil(content.length / 4);
      send(
        200,
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [
            { index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' },
          ],
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: answerTokens,
            total_tokens: promptTokens + answerTokens,
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    faults,
    get key() {
      return state.key;
    },
    set key(key: string | undefined) {
      state.key = key;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a naive model takes from the messages: the term, what it is asked to fix, and the instructions it sees. */
function understand(messages: SeenRequest['body']['messages']) {
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const fence = /between the markers (\S+)BEGIN and \1END/.exec(system)?.[1];
  const users = messages.filter((m) => m.role === 'user').map((m) => m.content);
  const first = users[0] ?? '';
  // The term is the first data block of the request (a reader's or the news's words).
  const term = fence ? (first.split(`${fence}BEGIN\n`)[1]?.split(`\n${fence}END`)[0] ?? '') : '';
  const last = users.at(-1) ?? '';
  const fixes = users.length > 1 ? [...last.matchAll(/^- (.+)$/gm)].map((m) => m[1]!) : [];
  const repair = users.length > 1 && /could not be used/.test(last);
  // Everything outside the fenced data blocks is taken as instructions, as a naive model would.
  let visible = messages.map((m) => m.content).join('\n');
  if (fence) {
    const esc = fence.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    visible = visible.replace(new RegExp(`${esc}BEGIN[\\s\\S]*?${esc}END`, 'g'), '');
  }
  const instructions = [...visible.matchAll(/INSTRUCTION:\s*(.+)/g)].map((m) => m[1]!.trim());
  return { term, fixes, repair, instructions };
}
