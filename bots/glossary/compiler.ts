import { Worker } from 'node:worker_threads';
import { errorMessage } from '../../shared/errors';
import type { GlossaryPack } from '../../shared/glossary/schema';
import { loadMatcher, type Matcher } from '../../shared/matcher';
import { compileGlossaryMatcher } from './segmentation';

/** Compiles packs into a matcher without blocking the caller's event loop (or inline, where threads are not wanted). */
export interface MatcherCompiler {
  compile(packs: readonly GlossaryPack[]): Promise<Matcher>;
  close(): Promise<void>;
}

/** Compiles on this thread: for one-shot commands and tests of other things. */
export function createInlineCompiler(): MatcherCompiler {
  return { compile: async (packs) => compileGlossaryMatcher(packs), close: async () => undefined };
}

/**
 * Compiles in a worker thread: the posting loop keeps running while a glossary change compiles;
 * only the deserialization (a copy of typed arrays) runs here. One job at a time, in order.
 */
export function createThreadCompiler(): MatcherCompiler {
  const worker = new Worker(new URL('./compile-worker.mjs', import.meta.url));
  worker.unref();
  const jobs = new Map<number, { resolve(m: Matcher): void; reject(e: Error): void }>();
  let next = 0;
  let failed: Error | null = null;
  const fail = (error: Error) => {
    failed = error;
    for (const job of jobs.values()) job.reject(error);
    jobs.clear();
  };
  worker.on('message', (msg: { id?: number; bytes?: Uint8Array; error?: string }) => {
    if (msg.id === undefined) return;
    const job = jobs.get(msg.id);
    jobs.delete(msg.id);
    if (!job) return;
    if (msg.bytes) job.resolve(loadMatcher(new Uint8Array(msg.bytes)));
    else job.reject(new Error(`compiling the glossary failed: ${msg.error ?? 'no answer'}`));
  });
  worker.on('error', (error) => fail(new Error(`the glossary compiler thread failed: ${errorMessage(error)}`)));
  worker.on('exit', (code) => fail(new Error(`the glossary compiler thread exited (${code})`)));
  return {
    compile: (packs) =>
      new Promise<Matcher>((resolve, reject) => {
        if (failed) return reject(failed);
        const id = next++;
        jobs.set(id, { resolve, reject });
        worker.postMessage({ id, packs });
      }),
    close: async () => {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
