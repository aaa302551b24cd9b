// A draft's glossary checks off the bots' main thread (bots/ai/glossary-check.ts): they compile the
// matcher of a whole language, seconds on a loaded machine, during which the process would answer
// nothing else. The sources are TypeScript, loaded through tsx as bots/cli/bin.mjs does.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { entryProblems } = await import('./glossary-check.ts');
try {
  parentPort.postMessage({ problems: entryProblems(workerData.packs, workerData.entry, workerData.lang) });
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
