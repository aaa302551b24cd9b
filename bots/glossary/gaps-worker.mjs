// The daily gap finder off the posting loop (bots/glossary/wanted.ts): one run in a worker thread
// that compiles the glossary it was given and reads the items for terms it lacks. The sources are
// TypeScript, loaded through tsx as bots/cli/bin.mjs does.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { compileGlossaryMatcher } = await import('./segmentation.ts');
const { findWanted } = await import('./wanted.ts');
try {
  const matcher = compileGlossaryMatcher(workerData.packs);
  parentPort.postMessage({ found: findWanted(workerData.items, matcher, workerData.top) });
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
