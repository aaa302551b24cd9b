/**
 * The message of anything thrown, for logs and replies: an Error's message (and its cause's, as
 * `message: cause`), a string as it is, anything else as JSON (or String() when it has no JSON).
 * `(error as Error).message` gives `undefined` for a thrown string or object; this never does.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const own = error.message || error.name;
    const cause = (error as { cause?: unknown }).cause;
    if (cause === undefined || cause === null || cause === error) return own;
    const inner = errorMessage(cause);
    return inner && !own.includes(inner) ? `${own}: ${inner}` : own;
  }
  if (typeof error === 'string') return error;
  if (error === undefined) return 'undefined';
  try {
    const json = JSON.stringify(error);
    if (json !== undefined && json !== '{}') return json;
  } catch {
    // A cycle or a BigInt: fall through to String().
  }
  return String(error);
}

/** The stack of a thrown Error (its message when it has none), or the message of anything else thrown: for crash logs. */
export function errorStack(error: unknown): string {
  return error instanceof Error && error.stack ? error.stack : errorMessage(error);
}
