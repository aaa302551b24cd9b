// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// The dependency rule of the house (STYLE.md): shared/ is a pure core, and the two wings never
// import each other. Convention alone drifts, so the linter says it.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const wing = (name) => [`**/${name}/**`, `@@/${name}/**`, `~~/${name}/**`];

export default tseslint.config(
  { ignores: ['node_modules/', '.output/', '.wxt/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'shared/ uses no Node built-ins: take the capability as a parameter.',
          })),
          patterns: [
            {
              group: [...wing('extension'), ...wing('bots'), '@/*', '~/*', 'wxt', 'wxt/*'],
              message: 'shared/ imports nothing from extension/ or bots/.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'location',
          'process',
          'Buffer',
          'require',
          '__dirname',
          '__filename',
          'globalThis',
        ].map((name) => ({
          name,
          message: 'shared/ uses no DOM or Node globals: take the capability as a parameter.',
        })),
      ],
    },
  },
  {
    files: ['extension/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'The extension runs in the browser: no Node built-ins.',
          })),
          patterns: [
            { group: wing('bots'), message: 'extension/ and bots/ never import each other: share through shared/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['bots/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...wing('extension'), '@/*', '~/*'],
              message: 'extension/ and bots/ never import each other: share through shared/.',
            },
          ],
        },
      ],
    },
  },
  // Layout is the formatter's (Prettier, run by `npm run lint`), not each rule's.
  prettier,
);
