// First: its module runs before the others, so scipop:init spans the whole script's startup.
import { STARTED_AT } from '../../content/started';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { browser } from '../../browser';
import { startPage } from '../../content/page';
import { loadGlossary } from '../../glossary/bundle';
import type { MatcherPayload, TermFinder } from '../../glossary/types';
import type { BackgroundMessage, BackgroundReplies } from '../../messaging/background-protocol';
import { askBackground, createContentListener } from '../../messaging/content-side';
import { PACKS_KEY, SETTINGS_KEY, SUBSCRIBED_KEY } from '../../settings/keys';
import { t } from '../../ui/i18n';

// No zod in this script (nor anything that imports it): building its schemas when the script was
// injected cost pages a 28–106 ms task. The background validates and compiles; the page asks.
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_idle',
  async main(ctx) {
    const ask = <M extends BackgroundMessage>(message: M) => askBackground(browser.runtime, message);
    performance.measure(INIT_MEASURE, { start: STARTED_AT, end: performance.now() });
    // The glossary data stays in the background: a page receives the serialized matcher (one
    // message, no network) instead of parsing megabytes of script on every load.
    const [settings, payload] = await Promise.all([
      retried(() => ask({ type: 'settings' })),
      retried(() => ask({ type: 'glossary' })),
    ]);
    if (!settings || !payload || ctx.isInvalid) return;
    const view = async (lang: string, id: string) => (await ask({ type: 'entry', lang, id })) ?? undefined;
    const loaded = new Map<string, TermFinder>();
    const load = (p: MatcherPayload) => loadGlossary(p, view, inTask(LOAD_MEASURE), loaded);
    const glossary = await load(payload);
    if (ctx.isInvalid) return;
    await nextTask();
    const page = measured(INIT_MEASURE, () =>
      startPage({
        doc: document,
        glossary,
        settings,
        t,
        markKnown: (id) => void ask({ type: 'know', id }),
        community: {
          offer: () => ask({ type: 'ask-offer' }),
          ask: (text, lang, consent) => ask({ type: 'ask-community', text, lang, consent }),
        },
      }),
    );
    // The latest change wins: two quick changes may be answered, or loaded, out of order.
    const latest = <K extends 'settings' | 'glossary'>(
      type: K,
      apply: (reply: BackgroundReplies[K], isLatest: () => boolean) => void,
    ) => {
      let ticket = 0;
      return () => {
        const mine = ++ticket;
        const isLatest = () => mine === ticket && !ctx.isInvalid;
        void ask({ type } as Extract<BackgroundMessage, { type: K }>).then((reply) => {
          if (reply && isLatest()) apply(reply as BackgroundReplies[K], isLatest);
        });
      };
    };
    const refreshSettings = latest('settings', (next) => page.applySettings(next));
    const refreshGlossary = latest(
      'glossary',
      (next, isLatest) => void load(next).then((g) => isLatest() && page.setGlossary(g)),
    );
    const onStorage = (changes: Record<string, unknown>, area: string) => {
      if (area !== 'local') return;
      if (SETTINGS_KEY in changes) refreshSettings();
      if (PACKS_KEY in changes || SUBSCRIBED_KEY in changes) refreshGlossary();
    };
    browser.storage.onChanged.addListener(onStorage);
    ctx.onInvalidated(() => browser.storage.onChanged.removeListener(onStorage));
    const onMessage = createContentListener({
      explain: (m) => page.explain(m.text),
      'page-glossary': () => page.pageGlossary(),
    });
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
    ctx.addEventListener(window, 'wxt:locationchange', () => page.relocate());
    ctx.onInvalidated(() => page.stop());
  },
});

/** Main-thread work of starting up (the script itself, then starting the page), one measure per task. */
const INIT_MEASURE = 'scipop:init';
/** Decoding the matchers the background sent. */
const LOAD_MEASURE = 'scipop:load';

/** An answer from the background; a worker that is just starting may miss the first ask. */
async function retried<T>(ask: () => Promise<T | undefined>): Promise<T | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const reply = await ask();
    if (reply !== undefined) return reply;
    await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
  }
  return undefined;
}

/** Resolves in a new task, so the page can run between two steps of ours. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A step of work in a task of its own, recorded as a measure. */
function inTask(name: string) {
  return async <T>(work: () => T): Promise<T> => {
    await nextTask();
    return measured(name, work);
  };
}

function measured<T>(name: string, work: () => T): T {
  const start = performance.now();
  const value = work();
  performance.measure(name, { start, end: performance.now() });
  return value;
}
