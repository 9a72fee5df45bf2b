import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Layering is enforced here: the engine is pure (no UI libraries, no DOM globals), the worker
// only adapts messages, and nothing but the store talks to the worker.
const domGlobals = [
  'window',
  'document',
  'navigator',
  'self',
  'localStorage',
  'sessionStorage',
  'location',
  'history',
  'requestAnimationFrame',
  'postMessage',
  'Worker',
  'HTMLElement',
  'HTMLCanvasElement',
  'process',
  'Buffer',
  'require',
].map((name) => ({ name, message: 'src/engine is pure TypeScript: no DOM or Node globals.' }));

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'playwright-report',
      'test-results',
      'coverage',
      'scripts/*-tmp.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', ...domGlobals],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'react',
                'react-dom',
                'react-dom/*',
                'zustand',
                'zustand/*',
                'd3-selection',
                'd3-zoom',
              ],
              message: 'src/engine must not import UI libraries.',
            },
            {
              group: ['**/worker/**', '**/state/**', '**/ui/**'],
              message: 'src/engine imports nothing above it.',
            },
            {
              group: ['node:*', 'fs', 'path'],
              message: 'src/engine runs in the browser too: no Node modules.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/state/**', '**/ui/**', 'react', 'react-dom', 'zustand'],
              message: 'The worker only adapts messages to the engine.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/state/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/ui/**', 'react-dom'], message: 'State does not import UI.' }] },
      ],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/worker/client*', '**/worker/worker*'],
              message: 'Only the store talks to the worker.',
            },
          ],
        },
      ],
    },
  },
);
