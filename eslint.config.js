import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { defineConfig, globalIgnores } from 'eslint/config';

export default defineConfig([
  globalIgnores(['dist', 'playwright-report', 'test-results', 'node_modules']),
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended, reactHooks.configs.flat.recommended],
    languageOptions: { ecmaVersion: 2023, globals: { ...globals.browser, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The simulation core stays DOM-, React- and clock-free: it runs in the worker, in Vitest and in the runner.
    files: ['src/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'react',
            'react-*',
            'cytoscape',
            'zustand',
            'comlink',
            '**/ui/**',
            '**/worker/**',
            'node:*',
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'setTimeout', 'setInterval'],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded PRNG (kernel/prng.ts).' },
        { object: 'Date', property: 'now', message: 'Use the simulated clock (kernel).' },
      ],
    },
  },
  {
    // Tests run under Node: they may read files and spawn tools (tshark) to check the simulation from outside.
    // So may their test-only support modules (`*.test-support.ts`).
    files: ['src/**/*.test.ts', 'src/**/*.test-support.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['react', 'react-*', 'cytoscape', 'zustand', 'comlink', '**/ui/**'] },
      ],
    },
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The page reaches the simulator only through the worker API (`src/worker/protocol.ts` types, the worker's
    // client) and the pure helpers of `src/worker/page-helpers.ts`: nothing in src/ui imports src/sim.
    files: ['src/ui/**/*.{ts,tsx}'],
    ignores: ['src/ui/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/sim/**'] }] },
  },
  {
    // The page's tests drive it without a browser: no simulator either (a recorded trace or the worker API).
    files: ['src/ui/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/sim/**', 'react', 'react-*', 'cytoscape', 'zustand', 'comlink'] },
      ],
    },
  },
  {
    files: ['src/runner/**/*.ts', 'bench/**/*.ts', '*.config.ts', 'e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Test-only modules (`*.test-support.ts`: test labs, fixtures, the tshark field decode) live beside the tests
    // that use them; the product never imports one. A rule of its own, so the import bans above still apply.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.ts', 'src/**/*.test-support.ts', 'src/test-setup.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ImportExpression'].map(
          (node) => ({
            selector: `${node}[source.value=/\\.test-support(\\.ts)?$/]`,
            message: 'Test-only module: import *.test-support files from tests only.',
          }),
        ),
      ],
    },
  },
  prettier,
]);
