/** The bundled glossary, compiled at build time by the plugin in wxt.config.ts. */
declare module 'virtual:scipop-glossary' {
  import type { GlossaryBundle } from './types';

  const bundle: GlossaryBundle;
  export default bundle;
}
