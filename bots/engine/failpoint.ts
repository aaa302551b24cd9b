import type { EngineDeps } from './types';

/** `after-send:N` → a hook that SIGKILLs this process right after the Nth send, before its mark (SCIPOP_FAILPOINT, for crash tests). */
export function failpointHook(spec: string | undefined): EngineDeps['failpoint'] {
  const m = spec ? /^(after-send|after-claim):(\d+)$/.exec(spec) : null;
  if (!m) return undefined;
  let left = Number(m[2]);
  return (point) => {
    if (point === m[1] && --left <= 0) process.kill(process.pid, 'SIGKILL');
  };
}
