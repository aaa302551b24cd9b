import { z } from 'zod';

// Extension pages forbid eval (MV3 CSP), and store reviews flag it: zod parses without compiling
// validators into functions. Imported first by every entrypoint.
z.config({ jitless: true });
