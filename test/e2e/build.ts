import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The project root. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** The unpacked Chrome build the browser tests load. */
export const CHROME_EXT = join(ROOT, '.output/chrome-mv3');

const SOURCES = ['extension', 'shared', 'bots/glossary', 'wxt.config.ts', 'package.json'];

function newest(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) if (name !== 'node_modules') max = Math.max(max, newest(join(path, name)));
  return max;
}

/** Whether the Chrome build is missing or older than a source file. */
export function isStale(): boolean {
  const built = statSync(join(CHROME_EXT, 'manifest.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return SOURCES.some((s) => newest(join(ROOT, s)) > built);
}

/**
 * Builds the extension when it is missing or stale. Test files run in parallel workers, so the
 * build takes a lock (mkdir is atomic) and the others wait for it.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(ROOT, '.output/.e2e-build-lock');
  mkdirSync(join(ROOT, '.output'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than two minutes belongs to a run that died.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (isStale())
      execFileSync(process.execPath, [join(ROOT, 'node_modules/wxt/bin/wxt.mjs'), 'build'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
