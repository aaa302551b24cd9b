import { defineConfig } from 'wxt';

// The extension's sources live in extension/ (WXT's srcDir); shared/ is imported from there.
export default defineConfig({
  srcDir: 'extension',
  manifest: {
    name: 'SciPop',
    description: 'Explains science and technology jargon on news pages, offline.',
  },
});
