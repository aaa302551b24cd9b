/** The bundled glossary, compiled at build time by the plugin in wxt.config.ts. */
declare module 'virtual:scipop-glossary' {
  // An ambient module cannot import through a relative path; an import() type can.
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  const bundle: import('./types').GlossaryBundle;
  export default bundle;
}
