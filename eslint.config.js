// @ts-check
// Lint rules: type-aware checks for promises, size limits, and imports that say which thread
// code runs on (Node builtins only in the Node folders). Formatting is Prettier's job.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Code that runs in Node: the server, CLI and Vite plugin, the scripts, the tests, the bench's
// runner, the configs.
const NODE_FILES = [
  'src/node/**',
  'src/cli/**',
  'src/vite/**',
  'scripts/**',
  'test/**',
  'bench/**',
  '*.config.{ts,js}',
];
// The test page and the bench page, with their workers, run in the browser.
const BROWSER_TEST_FILES = ['test/app/**', 'bench/app/**'];

const NODE_ONLY = 'Node builtins belong in the Node folders (src/node, src/cli, src/vite).';
const nodeBuiltins = {
  paths: builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message: NODE_ONLY })),
  patterns: [{ group: ['node:*'], message: NODE_ONLY }],
};
// no-restricted-imports does not see `import('node:fs')`
const nodeDynamicImport = {
  selector: `ImportExpression[source.value=/^(node:|(${builtinModules.join('|').replaceAll('/', '\\/')})$)/]`,
  message: NODE_ONLY,
};

export default defineConfig(
  { ignores: ['dist/', 'models/', 'test/.build/', 'examples/.build/', 'test-results/', 'node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // as tsc's noUnusedLocals: `_` marks a name left unused on purpose; `{ a: _a, ...rest }` omits `a`
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
      'no-restricted-imports': ['error', nodeBuiltins],
      'no-restricted-syntax': ['error', nodeDynamicImport],
    },
  },
  { files: ['src/**'], rules: { 'max-lines': ['error', { max: 300 }] } },
  // the offline shell's service worker: its own thread, with only the pure shared code
  {
    files: ['src/service-worker/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...nodeBuiltins,
          patterns: [
            ...nodeBuiltins.patterns,
            { regex: '^\\.\\./(?!shared/)', message: 'The service worker may import only src/shared code.' },
          ],
        },
      ],
    },
  },
  {
    files: NODE_FILES,
    ignores: BROWSER_TEST_FILES,
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  // a test file is one describe block of many cases: its length says nothing about one function
  { files: ['test/**/*.test.ts'], rules: { 'max-lines-per-function': 'off' } },
  { files: ['**/*.js'], extends: [tseslint.configs.disableTypeChecked] },
);
