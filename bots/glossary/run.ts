import { errorMessage } from '../../shared/errors';
import type { Registry } from 'prom-client';
import type { AiSettings } from '../ai/config';
import { createGlossaryDrafter } from '../ai/glossary-drafter';
import type { OpsRoute } from '../engine/http-server';
import type { Store } from '../store/types';
import { loadBundledPacks } from './bundled';
import { askRoute, ASK_PATH } from './ask';
import { createCommunityGlossary } from './community';
import { createThreadCompiler } from './compiler';
import { compileGlossaryMatcher } from './segmentation';
import type { GlossaryConfig } from './config';
import { createLiveGlossary, type LiveGlossary } from './live';
import { createPublishedCache, publishedGlossaryRoute } from './serve';
import { loadGlossarySigner, type GlossarySigner } from './signing';
import type { TermService } from './term-service';
import { autoDraftWanted } from './auto-draft';
import { createWantedJob, findWantedInThread } from './wanted';

/** The glossary of a running network: what posts and /explain use, and the published files' route. */
export interface RunningGlossary {
  live: LiveGlossary;
  /** The published files (GET) and, unless turned off, readers' requests (POST). */
  routes: OpsRoute[];
  /** /term for the chat platforms: a change published here is used at once (the live glossary refreshes). */
  term: TermService;
  /** The daily gap finder over the network's news (the maintenance role runs it); absent when turned off. */
  wanted?: { runIfDue(now: number): Promise<boolean> };
}

/**
 * Starts the glossary for `scipop run`: the bundled packs compiled once, the community layer on
 * top (refreshed every `refreshSeconds`, compiled off the posting loop), and the /glossary/v1/
 * route. A broken bundled pack is logged and posts go out without explanations rather than not at all.
 */
export async function startGlossary(
  store: Store,
  config: GlossaryConfig,
  log: {
    info(obj: object, msg?: string): void;
    warn(obj: object, msg?: string): void;
    error(obj: object, msg?: string): void;
  },
  options: {
    poll: boolean;
    /** The language model for `/term draft`, when one is configured; its counters go on `registry`. */
    ai?: AiSettings;
    registry?: Registry;
  },
): Promise<RunningGlossary | null> {
  let live: LiveGlossary;
  let bundled: ReturnType<typeof loadBundledPacks>;
  try {
    bundled = loadBundledPacks();
    live = await createLiveGlossary({
      store,
      bundled,
      bundledMatcher: compileGlossaryMatcher(bundled),
      compiler: createThreadCompiler(),
      log,
    });
  } catch (error) {
    log.error({ err: errorMessage(error) }, 'the glossary could not be loaded; posts will carry no term explanations');
    return null;
  }
  if (options.poll) live.startPolling(config.refreshSeconds * 1000);
  let signer: Promise<GlossarySigner> | null = null;
  const cache = createPublishedCache(store, () => (signer ??= loadGlossarySigner(store)), {
    ...config,
    ...(config.asks.enabled ? { ask: ASK_PATH } : {}),
  });
  // Resolves once the change is in the bots' matcher (or the refresh failed, which is logged).
  const refresh = () =>
    live.refresh().then(
      () => undefined,
      (error: unknown) => log.warn({ err: errorMessage(error) }, 'could not refresh the glossary'),
    );
  const term: TermService = {
    glossary: createCommunityGlossary({ store, bundled: bundled.map((p) => p.pack), clock: { now: () => new Date() } }),
    published: refresh,
    editors: { editors: config.editors, editorsChats: config.editorsChats },
    ...(options.ai
      ? {
          drafter: createGlossaryDrafter(options.ai, {
            packs: () => live.packs(),
            clock: { now: () => new Date() },
            counter: store,
            checkInThread: true,
            ...(options.registry ? { registry: options.registry } : {}),
          }),
        }
      : {}),
  };
  const routes = [publishedGlossaryRoute(cache), ...(config.asks.enabled ? [askRoute(store, config.asks)] : [])];
  const drafter = term.drafter;
  const autoDraft = options.ai?.autoDraft ?? 0;
  const wanted = config.wanted.enabled
    ? createWantedJob({
        store,
        find: (items, top) =>
          findWantedInThread(
            live.packs().map((p) => p.pack),
            items,
            top,
          ),
        settings: config.wanted,
        log,
        ...(drafter && autoDraft > 0
          ? { after: () => autoDraftWanted({ glossary: term.glossary, drafter, count: autoDraft, log }) }
          : {}),
      })
    : undefined;
  return { live, routes, term, ...(wanted ? { wanted } : {}) };
}
