// Loads a serialized matcher in a fresh process and prints how long it took: the cost a page pays.
import { readFileSync } from 'node:fs';
import { loadMatcher } from '../../shared/matcher';

const bytes = new Uint8Array(readFileSync(process.argv[2]!));
const t0 = performance.now();
const matcher = loadMatcher(bytes);
const loadMs = performance.now() - t0;
matcher.find('DNA');
process.stdout.write(JSON.stringify({ loadMs, firstFindMs: performance.now() - t0 - loadMs }));
