/**
 * The published community glossary's files, built from the Store: `index.json` (signed),
 * `index.json.sig`, one pack per language and a diff from each recent revision, all in the format
 * of shared/glossary/published.ts. `scipop run` serves them, `scipop glossary publish DIR` writes them.
 */
import { createHash } from 'node:crypto';
import { communityStateAt, type CommunityState } from '../../shared/glossary/community/layer';
import {
  buildPublishedPack,
  diffPublishedEntries,
  publishedDiffPath,
  publishedPackPath,
  serializePublishedPack,
  PUBLISHED_FORMAT,
  type PublishedDiff,
  type PublishedIndex,
} from '../../shared/glossary/published';
import type { GlossaryStateStore } from '../store/glossary-types';
import type { GlossarySigner } from './signing';

/** What the index says of the community beyond its entries. */
export interface PublishSettings {
  name: string;
  license: string;
  checkAfterSeconds: number;
  /** How many earlier revisions get a diff to the current one. */
  diffsKept?: number;
  /** The path (relative to the index) where readers may ask for a term; absent when asking is off. */
  ask?: string;
}

/** The files of one published revision: path (relative to the index) → bytes. */
export interface PublishedFiles {
  revision: number;
  files: Map<string, Uint8Array>;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Builds every published file of the store's current revision. */
export async function buildPublishedFiles(
  store: GlossaryStateStore,
  signer: GlossarySigner,
  settings: PublishSettings,
): Promise<PublishedFiles> {
  const [revisions, revision] = await Promise.all([store.publishedGlossaryRevisions(), store.glossaryRevisionNumber()]);
  const current = communityStateAt(revisions, revision);
  const files = new Map<string, Uint8Array>();
  const meta = { name: settings.name, license: settings.license };
  const listed: PublishedIndex['files'] = [];
  for (const [lang, entries] of [...current.entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const bytes = utf8(serializePublishedPack(buildPublishedPack({ ...meta, lang, revision }, entries)));
    const path = publishedPackPath(lang);
    files.set(path, bytes);
    listed.push({ path, sha256: sha256(bytes), bytes: bytes.length, lang, entries: entries.length });
  }
  const diffs: PublishedIndex['diffs'] = [];
  const kept = settings.diffsKept ?? 20;
  for (let from = Math.max(1, revision - kept); from < revision; from++) {
    const before: CommunityState = communityStateAt(revisions, from);
    const diff: PublishedDiff = {
      format: PUBLISHED_FORMAT,
      from,
      to: revision,
      changes: diffPublishedEntries(before.entries, current.entries),
    };
    const bytes = utf8(JSON.stringify(diff));
    const path = publishedDiffPath(from, revision);
    files.set(path, bytes);
    diffs.push({ from, path, sha256: sha256(bytes), bytes: bytes.length });
  }
  const index: PublishedIndex = {
    format: PUBLISHED_FORMAT,
    name: settings.name,
    revision,
    published: new Date(current.publishedAt).toISOString(),
    checkAfterSeconds: settings.checkAfterSeconds,
    license: settings.license,
    files: listed,
    retired: Object.fromEntries([...current.retired].sort(([a], [b]) => (a < b ? -1 : 1))),
    diffs,
    ...(settings.ask ? { ask: settings.ask } : {}),
  };
  const indexBytes = utf8(JSON.stringify(index));
  files.set('index.json', indexBytes);
  files.set('index.json.sig', utf8(signer.sign(indexBytes)));
  return { revision, files };
}
