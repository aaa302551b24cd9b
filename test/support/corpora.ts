import { describe, it } from 'vitest';
import { HAVE_CORPORA } from './outside';

// Tests on the team's corpora run where the corpora are (see outside.ts) and are skipped elsewhere;
// test/support/global-setup.ts says so in one line, or fails the run where CI requires them.

export { CORPORA, HAVE_CORPORA } from './outside';

/** `describe`, skipped when the corpora are missing. */
export const describeWithCorpora = describe.skipIf(!HAVE_CORPORA);

/** `it`, skipped when the corpora are missing. */
export const itWithCorpora = it.skipIf(!HAVE_CORPORA);
