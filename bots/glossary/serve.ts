/**
 * Serves the published glossary under /glossary/v1/ from the ops HTTP server: the files of the
 * store's current revision, rebuilt when the revision grows, with CORS open to any origin (readers'
 * extensions fetch them from any page's context) and ETags so an unchanged check moves no bytes.
 */
import { createHash } from 'node:crypto';
import { PUBLISHED_BASE_PATH } from '../../shared/glossary/published';
import type { OpsRoute } from '../engine/http-server';
import type { GlossaryStateStore } from '../store/glossary-types';
import { buildPublishedFiles, type PublishedFiles, type PublishSettings } from './publish';
import type { GlossarySigner } from './signing';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '86400',
};

function contentType(path: string): string {
  return path.endsWith('.json') ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
}

function cacheControl(path: string): string {
  // A diff's name says both revisions, so its bytes never change; the index and packs do.
  if (path.startsWith('diffs/')) return 'public, max-age=31536000, immutable';
  return 'public, max-age=60, must-revalidate';
}

/** The published files of the current revision, rebuilt once per revision however many ask at once. */
export function createPublishedCache(
  store: GlossaryStateStore,
  signer: () => Promise<GlossarySigner>,
  settings: PublishSettings,
): { current(): Promise<PublishedFiles> } {
  let cached: { revision: number; files: Promise<PublishedFiles> } | null = null;
  return {
    async current() {
      const revision = await store.glossaryRevisionNumber();
      if (!cached || cached.revision !== revision) {
        const files = signer().then((s) => buildPublishedFiles(store, s, settings));
        cached = { revision, files };
        files.catch(() => {
          if (cached?.files === files) cached = null;
        });
      }
      return cached.files;
    },
  };
}

/** The GET side of /glossary/v1/: index.json, index.json.sig, packs and diffs. */
export function publishedGlossaryRoute(cache: { current(): Promise<PublishedFiles> }): OpsRoute {
  return async (req, res, path) => {
    if (!path.startsWith(PUBLISHED_BASE_PATH)) return false;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS).end();
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const name = path.slice(PUBLISHED_BASE_PATH.length);
    const { files } = await cache.current();
    const bytes = files.get(name);
    if (!bytes) {
      res
        .writeHead(404, { ...CORS, 'content-type': 'text/plain' })
        .end(`not found: ${name || '(nothing)'}; try index.json\n`);
      return true;
    }
    const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
    const headers = {
      ...CORS,
      'content-type': contentType(name),
      'cache-control': cacheControl(name),
      etag,
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(bytes));
    return true;
  };
}
