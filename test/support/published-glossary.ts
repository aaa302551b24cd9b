import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import {
  buildPublishedPack,
  diffPublishedEntries,
  publishedDiffPath,
  publishedPackPath,
  PUBLISHED_BASE_PATH,
  PUBLISHED_FORMAT,
  serializePublishedPack,
  type PublishedIndex,
} from '../../shared/glossary/published';
import { GlossaryEntrySchema, type GlossaryEntry } from '../../shared/glossary/schema';

// A published community glossary written as a static folder with the shared functions of
// published.ts and a node:crypto Ed25519 key, as `scipop glossary publish DIR` writes it; and a
// loopback server for it with CORS open, as the network's server answers. Tests of the extension's
// subscriptions use these until they run against the real `scipop run`.

/** An Ed25519 key pair, the public half as readers get it (base64 of the 32 raw bytes). */
export interface TestKey {
  privateKey: KeyObject;
  publicKey: string;
}

/** A new Ed25519 key pair. */
export function createTestKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { privateKey, publicKey: Buffer.from(raw).toString('base64') };
}

/** A glossary entry for tests, valid under the pack schema. */
export function testEntry(id: string, over: Partial<GlossaryEntry> = {}): GlossaryEntry {
  return GlossaryEntrySchema.parse({
    id,
    term: id.replace(/-/g, ' '),
    fields: ['astronomy'],
    level: 2,
    short: `What ${id.replace(/-/g, ' ')} means, in a short sentence.`,
    long: `What ${id.replace(/-/g, ' ')} means, told at more length for a curious reader.`,
    sources: [{ title: 'Example source', url: `https://example.org/${id}` }],
    ...over,
  });
}

/** One revision to publish. */
export interface TestRevision {
  entries: Map<string, GlossaryEntry[]>;
  retired?: Record<string, string[]>;
  ask?: string;
  checkAfterSeconds?: number;
}

/** A folder holding a published glossary, revision after revision, with diffs from every earlier one. */
export interface PublishedFolder {
  dir: string;
  key: TestKey;
  name: string;
  /** The entries of each revision published so far. */
  revisions: Map<number, Map<string, GlossaryEntry[]>>;
  /** Writes the packs of the next revision, its diffs and its signed index; answers the index. */
  publish(rev: TestRevision): PublishedIndex;
  /** Rewrites a file (relative to the folder). */
  write(path: string, text: string | Buffer): void;
  read(path: string): Buffer;
  /** Signs index.json again as it now is (after a test changed it on purpose). */
  resign(): void;
  remove(): void;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A new published folder for the community `name`, signed by `key` (a new one by default). */
export function createPublishedFolder(name = 'Test community', key = createTestKey()): PublishedFolder {
  const dir = mkdtempSync(join(tmpdir(), 'scipop-published-'));
  const revisions = new Map<number, Map<string, GlossaryEntry[]>>();
  const write = (path: string, text: string | Buffer) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const read = (path: string) => readFileSync(join(dir, path));
  const resign = () => write('index.json.sig', sign(null, read('index.json'), key.privateKey).toString('base64'));
  return {
    dir,
    key,
    name,
    revisions,
    publish(rev) {
      const revision = revisions.size + 1;
      const license = 'CC-BY-4.0';
      const files = [...rev.entries].map(([lang, entries]) => {
        const text = serializePublishedPack(buildPublishedPack({ name, license, lang, revision }, entries));
        const path = publishedPackPath(lang);
        write(path, text);
        return { path, sha256: sha256(text), bytes: Buffer.byteLength(text), lang, entries: entries.length };
      });
      const diffs = [...revisions].map(([from, before]) => {
        const text = JSON.stringify({
          format: PUBLISHED_FORMAT,
          from,
          to: revision,
          changes: diffPublishedEntries(before, rev.entries),
        });
        const path = publishedDiffPath(from, revision);
        write(path, text);
        return { from, path, sha256: sha256(text), bytes: Buffer.byteLength(text) };
      });
      revisions.set(revision, rev.entries);
      const index: PublishedIndex = {
        format: PUBLISHED_FORMAT,
        name,
        revision,
        published: new Date().toISOString(),
        checkAfterSeconds: rev.checkAfterSeconds ?? 3600,
        license,
        files,
        retired: rev.retired ?? {},
        diffs,
        ...(rev.ask ? { ask: rev.ask } : {}),
      };
      write('index.json', JSON.stringify(index, null, 2));
      resign();
      return index;
    },
    write,
    read,
    resign,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A request the server answered: its path (under the base path), status and body size. */
export interface ServedRequest {
  path: string;
  status: number;
  bytes: number;
}

/** The loopback server of a published folder. */
export interface PublishedServer {
  origin: string;
  /** The index URL readers subscribe to. */
  indexUrl: string;
  requests: ServedRequest[];
  /** While true, every request is answered 503, as a server that is down behind its proxy. */
  down: boolean;
  /** What `POST <ask>` received. */
  asked: unknown[];
  /** Pages served as text/html by path (`/article.html`), outside the glossary. */
  pages: Map<string, string>;
  close(): Promise<void>;
}

/** Serves `dir` under /glossary/v1/ on 127.0.0.1 with `Access-Control-Allow-Origin: *`. */
export async function servePublishedFolder(dir: string): Promise<PublishedServer> {
  const state: PublishedServer = {
    origin: '',
    indexUrl: '',
    requests: [],
    down: false,
    asked: [],
    pages: new Map(),
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type',
    };
    const rel = url.pathname.startsWith(PUBLISHED_BASE_PATH) ? url.pathname.slice(PUBLISHED_BASE_PATH.length) : '';
    const answer = (status: number, body: Buffer | string, type = 'application/json') => {
      state.requests.push({ path: rel, status, bytes: Buffer.byteLength(body) });
      res.writeHead(status, { ...cors, 'content-type': type, 'cache-control': 'no-cache' }).end(body);
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    const page = state.pages.get(url.pathname);
    if (page !== undefined) return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    if (state.down) return answer(503, 'down for maintenance', 'text/plain');
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        try {
          state.asked.push(JSON.parse(body));
          answer(202, '{"ok":true}');
        } catch {
          answer(400, '{"error":"not JSON"}');
        }
      });
      return;
    }
    const path = normalize(join(dir, rel));
    try {
      if (!rel || !path.startsWith(dir)) throw new Error('outside');
      answer(200, readFileSync(path), rel.endsWith('.sig') ? 'text/plain' : 'application/json');
    } catch {
      answer(404, 'not found', 'text/plain');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  state.origin = `http://127.0.0.1:${port}`;
  state.indexUrl = `${state.origin}${PUBLISHED_BASE_PATH}index.json`;
  state.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
