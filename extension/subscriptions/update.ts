import { errorMessage } from '../../shared/errors';
import { parsePackText } from '../../shared/glossary/load';
import { formatProblem } from '../../shared/glossary/problems';
import {
  applyPublishedDiff,
  buildPublishedPack,
  PublishedDiffSchema,
  PublishedIndexSchema,
  serializePublishedPack,
  type PublishedFile,
  type PublishedIndex,
} from '../../shared/glossary/published';
import type { GlossaryEntry, GlossaryPack } from '../../shared/glossary/schema';
import type { SubscriptionAddress } from './address';
import { decodePublicKey } from './address';
import { sha256Hex, verifyEd25519 } from './verify';

/** The verified copy of a community glossary in use: its signed index and one pack per file. */
export interface SubscribedCopy {
  url: string;
  index: PublishedIndex;
  packs: GlossaryPack[];
}

/** What an update check did: the copy to use (new or the same), how, and the bytes it fetched. */
export type CheckResult =
  | { ok: true; copy: SubscribedCopy; via: 'unchanged' | 'diff' | 'full'; bytes: number }
  | { ok: false; error: string; bytes: number };

/** What a check needs from outside; `fetch` defaults to the global one. */
export interface CheckDeps {
  fetch?: typeof fetch;
}

/** A failed step of a check, with the message the reader sees. */
class CheckError extends Error {}

/**
 * Checks a subscription once: fetches the index and its signature, verifies both, then moves the
 * copy to the index's revision through a diff when one is offered from the copy's revision (each
 * rebuilt pack must hash to the index), else through the full packs. Nothing is stored here: the
 * caller switches to the returned copy in one step, or keeps the old one on failure.
 */
export async function checkSubscription(
  address: SubscriptionAddress,
  current: SubscribedCopy | undefined,
  deps: CheckDeps = {},
): Promise<CheckResult> {
  const doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  let bytes = 0;
  const get = async (path: string): Promise<Uint8Array<ArrayBuffer>> => {
    const url = new URL(path, address.url).href;
    let res: Response;
    try {
      res = await doFetch(url, { cache: 'no-store', credentials: 'omit', redirect: 'follow' });
    } catch (e) {
      throw new CheckError(`the server could not be reached (${path}: ${errorMessage(e)})`);
    }
    if (!res.ok) throw new CheckError(`the server answered ${res.status} for ${path}`);
    const body = new Uint8Array(await res.arrayBuffer());
    bytes += body.length;
    return body;
  };
  try {
    const key = decodePublicKey(address.key);
    if (!key) throw new CheckError('the public key is not valid');
    const indexName = new URL(address.url).pathname.split('/').pop() || 'index.json';
    const [indexBytes, sigBytes] = await Promise.all([get(indexName), get(`${indexName}.sig`)]);
    if (!(await verifyEd25519(key, new TextDecoder().decode(sigBytes), indexBytes)))
      throw new CheckError(
        "the index's signature does not match the public key (the index was changed, or the key is not this glossary's)",
      );
    const index = parseIndex(indexBytes);
    if (current && index.revision < current.index.revision)
      throw new CheckError(
        `the server offers revision ${index.revision}, older than revision ${current.index.revision} in use`,
      );
    if (current && index.revision === current.index.revision && sameFiles(index.files, current.index.files))
      return { ok: true, copy: { ...current, index }, via: 'unchanged', bytes };
    const ref = current && index.diffs.find((d) => d.from === current.index.revision);
    if (current && ref) {
      const diffBytes = await get(ref.path);
      if ((await sha256Hex(diffBytes)) === ref.sha256) {
        const packs = await rebuild(index, current, diffBytes);
        if (packs) return { ok: true, copy: { url: address.url, index, packs }, via: 'diff', bytes };
      }
      // A diff that does not rebuild the index's packs exactly: the full packs are the truth.
    }
    const packs: GlossaryPack[] = [];
    for (const file of index.files) packs.push(await fullPack(file, await get(file.path)));
    return { ok: true, copy: { url: address.url, index, packs }, via: 'full', bytes };
  } catch (e) {
    if (e instanceof CheckError) return { ok: false, error: e.message, bytes };
    return { ok: false, error: errorMessage(e), bytes };
  }
}

function parseJson(data: Uint8Array<ArrayBuffer>, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch (e) {
    throw new CheckError(`${what} is not valid JSON (${errorMessage(e)})`);
  }
}

function parseIndex(data: Uint8Array<ArrayBuffer>): PublishedIndex {
  const parsed = PublishedIndexSchema.safeParse(parseJson(data, 'the index'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CheckError(
      `the index is not a published glossary (${issue.path.join('.') || 'index'}: ${issue.message})`,
    );
  }
  return parsed.data;
}

function sameFiles(a: readonly PublishedFile[], b: readonly PublishedFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f.path === b[i]!.path && f.sha256 === b[i]!.sha256);
}

async function fullPack(file: PublishedFile, data: Uint8Array<ArrayBuffer>): Promise<GlossaryPack> {
  if ((await sha256Hex(data)) !== file.sha256)
    throw new CheckError(`${file.path} does not match the hash in the index (changed or damaged on the way)`);
  const parsed = parsePackText(new TextDecoder().decode(data), file.path);
  if (!parsed.ok) throw new CheckError(parsed.problems.slice(0, 3).map(formatProblem).join('; '));
  if (parsed.value.lang !== file.lang)
    throw new CheckError(`${file.path} is in ${parsed.value.lang}, not ${file.lang} as the index says`);
  return parsed.value;
}

/** The index's packs rebuilt from the copy and a diff; undefined when any of them does not hash right. */
async function rebuild(
  index: PublishedIndex,
  current: SubscribedCopy,
  data: Uint8Array<ArrayBuffer>,
): Promise<GlossaryPack[] | undefined> {
  const diff = PublishedDiffSchema.safeParse(parseJson(data, 'the diff'));
  if (!diff.success || diff.data.from !== current.index.revision || diff.data.to !== index.revision) return undefined;
  const before = new Map<string, GlossaryEntry[]>(current.packs.map((p) => [p.lang, p.entries]));
  const after = applyPublishedDiff(before, diff.data);
  const packs: GlossaryPack[] = [];
  for (const file of index.files) {
    const meta = { name: index.name, license: index.license, lang: file.lang, revision: index.revision };
    const pack = buildPublishedPack(meta, after.get(file.lang) ?? []);
    const text = serializePublishedPack(pack);
    if ((await sha256Hex(new TextEncoder().encode(text))) !== file.sha256) return undefined;
    // Parsed again, so a rebuilt pack is held to the same checks as a downloaded one.
    const parsed = parsePackText(text, file.path);
    if (!parsed.ok) return undefined;
    packs.push(parsed.value);
  }
  return packs;
}
