import { z } from 'zod';
import { parsePack } from '../../shared/glossary/load';
import { PublishedIndexSchema, type PublishedIndex } from '../../shared/glossary/published';
import { SUBSCRIBED_KEY, SUBSCRIPTIONS_KEY } from '../settings/keys';
import type { StorageLike } from '../settings/store';
import type { SubscriptionAddress } from './address';
import type { SubscribedCopy } from './update';

export { SUBSCRIBED_KEY, SUBSCRIPTIONS_KEY };

/** A subscription as stored and shown: its address, and what its last checks found. */
export const SubscriptionSchema = z.object({
  url: z.string(),
  key: z.string(),
  /** When the reader subscribed (ms since the epoch). */
  added: z.number(),
  /** The community's name, from the last good index. */
  name: z.string().optional(),
  /** The revision of the copy in use. */
  revision: z.number().optional(),
  /** The last check, good or not (ms). */
  lastCheck: z.number().optional(),
  /** Why the last check failed; absent after a good one. */
  lastError: z.string().optional(),
  /** When the next check is due (ms). */
  nextCheck: z.number().optional(),
  /** The reader said yes to "Ask the community" for this glossary. */
  askConsent: z.boolean().default(false),
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

// The packs are stored as one JSON string: every write to storage.local reaches each extension page
// and every tab's content script through storage.onChanged (old and new value), and one long string
// costs them far less to receive than a tree of thousands of objects.
const CopySchema = z.object({ url: z.string(), index: PublishedIndexSchema, packs: z.string() });

function packsOf(text: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

/** Reads and changes the subscriptions and their copies in `storage.local`. */
export interface SubscriptionStore {
  list(): Promise<Subscription[]>;
  /** The verified copies in use, in the order of the subscriptions; the same array while unchanged. */
  copies(): Promise<SubscribedCopy[]>;
  /** The index of each copy in use, by URL, without reading the packs (for the options page, the asker). */
  indexes(): Promise<Map<string, PublishedIndex>>;
  /** Adds a subscription (or keeps the one with this URL, with the new key); answers it. */
  add(address: SubscriptionAddress, now: number): Promise<Subscription>;
  /** Removes a subscription and its copy in one write. */
  remove(url: string): Promise<void>;
  /** Changes a subscription's status; with `copy`, switches to that copy in the same write. */
  record(url: string, patch: Partial<Subscription>, copy?: SubscribedCopy): Promise<void>;
}

/** The subscription store over `storage.local`; copies are validated again when read. */
export function createSubscriptionStore(storage: StorageLike): SubscriptionStore {
  let cachedCopies: { raw: unknown; copies: SubscribedCopy[] } | undefined;
  const list = async (): Promise<Subscription[]> => {
    const value: unknown = (await storage.local.get(SUBSCRIPTIONS_KEY))[SUBSCRIPTIONS_KEY];
    const parsed = z.array(z.unknown()).safeParse(value);
    if (!parsed.success) return [];
    return parsed.data.flatMap((s) => {
      const one = SubscriptionSchema.safeParse(s);
      return one.success ? [one.data] : [];
    });
  };
  const rawCopies = async (): Promise<Record<string, unknown>> => {
    const value: unknown = (await storage.local.get(SUBSCRIBED_KEY))[SUBSCRIBED_KEY];
    return typeof value === 'object' && value !== null ? { ...(value as Record<string, unknown>) } : {};
  };
  // Copies are large: they are validated once per stored value, not at every page's request.
  storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && SUBSCRIBED_KEY in changes) cachedCopies = undefined;
  });
  return {
    list,
    async copies() {
      const subs = await list();
      // Every switch to a new copy writes the new revision in the same step: it keys the cache.
      const key = subs.map((s) => `${s.url} ${s.key} ${s.revision ?? 0}`).join('\n');
      if (cachedCopies && cachedCopies.raw === key) return cachedCopies.copies;
      const raw = await rawCopies();
      const copies = subs.flatMap((s) => {
        const copy = CopySchema.safeParse(raw[s.url]);
        if (!copy.success) return [];
        const packs = packsOf(copy.data.packs).flatMap((p) => {
          const pack = parsePack(p, s.url);
          return pack.ok ? [pack.value] : [];
        });
        return [{ url: s.url, index: copy.data.index, packs }];
      });
      cachedCopies = { raw: key, copies };
      return copies;
    },
    async indexes() {
      const raw = await rawCopies();
      const out = new Map<string, PublishedIndex>();
      for (const s of await list()) {
        const index = PublishedIndexSchema.safeParse((raw[s.url] as { index?: unknown } | undefined)?.index);
        if (index.success) out.set(s.url, index.data);
      }
      return out;
    },
    async add(address, now) {
      const subs = await list();
      const existing = subs.find((s) => s.url === address.url);
      if (existing && existing.key === address.key) return existing;
      const sub: Subscription = { url: address.url, key: address.key, added: now, askConsent: false };
      const copies = await rawCopies();
      // A new key for the same URL: the old copy was checked with the old key, so it goes.
      delete copies[address.url];
      await storage.local.set({
        [SUBSCRIPTIONS_KEY]: [...subs.filter((s) => s.url !== address.url), sub],
        [SUBSCRIBED_KEY]: copies,
      });
      return sub;
    },
    async remove(url) {
      const copies = await rawCopies();
      delete copies[url];
      await storage.local.set({
        [SUBSCRIPTIONS_KEY]: (await list()).filter((s) => s.url !== url),
        [SUBSCRIBED_KEY]: copies,
      });
    },
    async record(url, patch, copy) {
      const subs = await list();
      if (!subs.some((s) => s.url === url)) return;
      const next = subs.map((s) => (s.url === url ? SubscriptionSchema.parse({ ...s, ...patch }) : s));
      const items: Record<string, unknown> = { [SUBSCRIPTIONS_KEY]: next };
      if (copy)
        items[SUBSCRIBED_KEY] = {
          ...(await rawCopies()),
          [url]: { url: copy.url, index: copy.index, packs: JSON.stringify(copy.packs) },
        };
      await storage.local.set(items);
    },
  };
}
