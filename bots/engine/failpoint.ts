import type { EngineDeps } from './types';

/**
 * `after-send:N` → a hook that SIGKILLs this process right after the Nth send, before its mark
 * (SCIPOP_FAILPOINT, for crash tests); `after-claim:N` after the Nth claim; `after-digest:N` right
 * after the Nth digest is committed, before any of its parts is sent.
 */
export function failpointHook(spec: string | undefined): EngineDeps['failpoint'] {
  const m = spec ? /^(after-send|after-claim|after-digest):(\d+)$/.exec(spec) : null;
  if (!m) return undefined;
  let left = Number(m[2]);
  return (point) => {
    if (point === m[1] && --left <= 0) process.kill(process.pid, 'SIGKILL');
  };
}
