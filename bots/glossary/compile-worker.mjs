// The matcher compiler off the posting loop: a worker thread that compiles packs and hands back
// the serialized matcher (its typed arrays transferred, not copied). The sources are TypeScript,
// loaded through tsx as bots/cli/bin.mjs does.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
// As the bots and the extension ship the glossary: with the Chinese word-boundary blockers.
const { compileGlossaryMatcher } = await import('./segmentation.ts');
parentPort.on('message', ({ id, packs }) => {
  try {
    const bytes = compileGlossaryMatcher(packs).serialize();
    parentPort.postMessage({ id, bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ ready: true });
