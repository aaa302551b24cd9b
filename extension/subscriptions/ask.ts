import { errorMessage } from '../../shared/errors';
import type { AskOffer } from '../messaging/background-protocol';
import { MAX_ASK_CHARS, MAX_ASK_WORDS } from '../messaging/content-side';
import type { SubscriptionStore } from './store';

/** "Ask the community to explain this", from the background (the page never reaches the server). */
export interface CommunityAsker {
  /** The first subscribed community whose index has an `ask` path; null when there is none. */
  offer(): Promise<AskOffer | null>;
  /** Sends `{ text, lang }` to that community, once the reader has said yes (now or before). */
  ask(text: string, lang: string, consent?: boolean): Promise<{ sent: boolean; community?: string; error?: string }>;
}

/** The asker over the subscriptions; `fetch` defaults to the global one. */
export function createCommunityAsker(deps: { store: SubscriptionStore; fetch?: typeof fetch }): CommunityAsker {
  const target = async () => {
    const indexes = await deps.store.indexes();
    for (const sub of await deps.store.list()) {
      const index = indexes.get(sub.url);
      if (index?.ask) return { sub, name: index.name, url: new URL(index.ask, sub.url).href };
    }
    return undefined;
  };
  return {
    async offer() {
      const t = await target();
      return t ? { community: t.name, consent: t.sub.askConsent } : null;
    },
    async ask(text, lang, consent) {
      const t = await target();
      if (!t) return { sent: false, error: 'no subscribed community takes requests' };
      const words = text.trim().split(/\s+/);
      if (words.length > MAX_ASK_WORDS || text.length > MAX_ASK_CHARS)
        return { sent: false, community: t.name, error: `select at most ${MAX_ASK_WORDS} words` };
      if (!t.sub.askConsent) {
        if (!consent) return { sent: false, community: t.name, error: 'the reader has not agreed to send requests' };
        await deps.store.record(t.sub.url, { askConsent: true });
      }
      try {
        const res = await (deps.fetch ?? globalThis.fetch.bind(globalThis))(t.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          // The words and their language only: no page address, no cookies, no referrer.
          body: JSON.stringify({ text: words.join(' '), lang }),
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
          cache: 'no-store',
        });
        if (!res.ok) return { sent: false, community: t.name, error: `the server answered ${res.status}` };
        return { sent: true, community: t.name };
      } catch (e) {
        return { sent: false, community: t.name, error: `the server could not be reached (${errorMessage(e)})` };
      }
    },
  };
}
