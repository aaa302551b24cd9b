import { RE2JS } from 're2js';
import { errorMessage } from '../errors';

/** A compiled filter expression; `test` runs in time linear in the text, whatever the pattern. */
export interface SafeRegex {
  readonly source: string;
  test(text: string): boolean;
}

/** The result of compiling a user's pattern: the regex, or one line saying what is wrong and where. */
export type RegexResult = { ok: true; value: SafeRegex } | { ok: false; error: string };

/** The longest pattern accepted; RE2's program size limit would refuse far larger ones anyway. */
export const MAX_PATTERN_LENGTH = 1000;

/**
 * Compiles a filter pattern with RE2 semantics (re2js), case-insensitive. Backtracking features
 * (backreferences, lookaround) are rejected with a clear message instead of risking a hang.
 */
export function compileSafeRegex(pattern: string): RegexResult {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, error: `regex too long (${pattern.length} > ${MAX_PATTERN_LENGTH} characters)` };
  }
  try {
    const re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    return { ok: true, value: { source: pattern, test: (text) => re.test(text) } };
  } catch (error) {
    const message = errorMessage(error);
    const hint = /\\[1-9]|\(\?[=!<]/.test(pattern)
      ? ' (backreferences and lookaround are not supported: RE2 syntax)'
      : '';
    return {
      ok: false,
      error: `invalid regex /${pattern}/: ${message.replace(/^error parsing regexp: /, '').replace('`(?i)', '`')}${hint}`,
    };
  }
}
