import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

// What the tests need from outside the project, found once: the team's corpora, the browsers and
// a PostgreSQL server. Read by vitest.config.ts (which starts what is missing and prints one line
// per thing skipped, see global-setup.ts) and by the test files (which skip what cannot run).
// Plain Node only: vitest.config.ts loads this before any test runs.

/** The project root. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** The corpora folder: SCIPOP_CORPORA, else `../shared/corpora` beside the project. Never copied in. */
export const CORPORA = resolve(ROOT, process.env.SCIPOP_CORPORA || '../shared/corpora');

/** Whether the corpora are there (both halves: feeds and pages). */
export const HAVE_CORPORA = existsSync(join(CORPORA, 'feeds/SOURCES.tsv')) && existsSync(join(CORPORA, 'pages'));

/** Set by `.ci/run`: a missing corpus fails the run instead of skipping its tests. */
export const REQUIRE_CORPORA = process.env.SCIPOP_REQUIRE_CORPORA === '1';

/** In CI (CI=true, or SCIPOP_REQUIRE_BROWSERS=1 from `.ci/run`) a missing browser fails the run. */
export const REQUIRE_BROWSERS = process.env.SCIPOP_REQUIRE_BROWSERS === '1' || process.env.CI === 'true';

const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];
const FIREFOX_PATHS = [
  '/usr/bin/firefox-esr',
  '/usr/bin/firefox',
  '/snap/bin/firefox',
  '/Applications/Firefox.app/Contents/MacOS/firefox',
];

/** The first of `paths` that exists, or the variable's value (which must exist when set). */
function findBrowser(variable: string, paths: string[]): string | undefined {
  const set = process.env[variable];
  if (set) return existsSync(set) ? set : undefined;
  return paths.find((p) => existsSync(p));
}

/** Chromium (or Chrome): SCIPOP_CHROMIUM, else the usual install paths; undefined when none is found. */
export const CHROMIUM = findBrowser('SCIPOP_CHROMIUM', CHROMIUM_PATHS);

/** Firefox: SCIPOP_FIREFOX, else the usual install paths; undefined when none is found. */
export const FIREFOX = findBrowser('SCIPOP_FIREFOX', FIREFOX_PATHS);

/** How to get what is missing, in the one line printed when its tests are skipped. */
export const HOW_TO = {
  corpora: `set SCIPOP_CORPORA to a copy of the team's corpora folder (expected at ${CORPORA}; see docs/contributing.md)`,
  chromium: 'install Chromium (Debian: apt-get install chromium) or set SCIPOP_CHROMIUM to its executable',
  firefox: 'install Firefox (Debian: apt-get install firefox-esr) or set SCIPOP_FIREFOX to its executable',
};

/**
 * Where the tests look for a running PostgreSQL when SCIPOP_TEST_PG is unset (host:port);
 * SCIPOP_TEST_PG_PROBE overrides it, which is how the embedded server is tested on a machine that
 * has a server of its own (point it at a dead port).
 */
export const PG_PROBE = process.env.SCIPOP_TEST_PG_PROBE || '127.0.0.1:5432';
