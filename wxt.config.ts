import { defineConfig } from 'wxt';
import type { Plugin } from 'vite';
import { listPackFiles, readPackFiles, BUNDLED_PACKS_DIR } from './bots/glossary/bundled';
import { formatProblem } from './shared/glossary/problems';
import { createGlossaryBundle } from './extension/glossary/bundle';
import { bundledCompileOptions } from './bots/glossary/segmentation';

const GLOSSARY_MODULE = 'virtual:scipop-glossary';

/**
 * Compiles the bundled packs at build time into the serialized matcher and the entry table, as a
 * module the extension imports: pages load the glossary with no network request and no compile.
 */
function glossaryBundle(): Plugin {
  const resolved = `\0${GLOSSARY_MODULE}`;
  return {
    name: 'scipop-glossary',
    resolveId: (id) => (id === GLOSSARY_MODULE ? resolved : undefined),
    load(id) {
      if (id !== resolved) return undefined;
      const files = listPackFiles();
      for (const file of files) this.addWatchFile(file);
      const { packs, problems } = readPackFiles(files);
      // A pack being written while we build must not stop the build: it ships next time.
      for (const problem of problems) this.warn(`skipped: ${formatProblem(problem)}`);
      const plain = packs.map((p) => p.pack);
      const bundle = createGlossaryBundle(plain, bundledCompileOptions(plain));
      // Almost all strings: as a JS literal it costs a page one scan of the source, no JSON.parse.
      return `export default ${JSON.stringify(bundle)};`;
    },
  };
}

// The extension's sources live in extension/ (WXT's srcDir); shared/ is imported from there.
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  vite: () => ({ plugins: [glossaryBundle()], server: { watch: { ignored: ['!' + BUNDLED_PACKS_DIR] } } }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // storage: settings and known terms; contextMenus: "Explain with SciPop" on selected text;
    // alarms: the background checks of subscribed community glossaries.
    permissions: ['storage', 'contextMenus', 'alarms'],
    action: { default_title: '__MSG_extName__' },
    commands: {
      'explain-term': {
        suggested_key: { default: 'Alt+Shift+E' },
        description: '__MSG_commandExplain__',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'scipop@scipop.invalid',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
