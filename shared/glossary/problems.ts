/** One thing wrong with a pack, pointing at the file and the place in it. */
export interface Problem {
  file: string;
  /** Where in the pack, as a path of keys and indexes: `['entries', 12, 'short']`. */
  path: readonly PropertyKey[];
  message: string;
}

/** `entries[12].short` from `['entries', 12, 'short']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** The one-line form every tool prints: `file: entries[12].short: too long (212 > 160)`. */
export function formatProblem(problem: Problem): string {
  const where = formatPath(problem.path);
  return where === '' ? `${problem.file}: ${problem.message}` : `${problem.file}: ${where}: ${problem.message}`;
}

/** The number of characters a reader sees (code points, not UTF-16 units). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
