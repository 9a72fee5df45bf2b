import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import path from 'node:path';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Layering is enforced here, exactly as the folder map of src/README.md says (its "may import"
// column is this table in words): `layers/folder-map` checks every import of ours and every
// package by the importing file's folder; the pure layers (engine, import, qemu) also get no DOM or
// Node globals. Tests, fixtures and test helpers may import anything.
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
].map((name) => ({ name, message: 'This folder is pure TypeScript: no DOM or Node globals.' }));

const REACT = [
  'react',
  'react/*',
  'react-dom',
  'react-dom/*',
  'zustand',
  'use-sync-external-store',
];
const DOM_LIBRARIES = ['d3-selection', 'd3-zoom'];
const NODE = [...builtinModules, 'node:*'];

/**
 * Per folder of src: what of ours it may import (`values`, and with `import type` also `types`),
 * and which packages (`packages` allows only those; `deny` forbids those). Paths are relative to
 * src; `*` is one path segment's characters, `/**` anything below.
 */
const FOLDER_MAP = {
  engine: {
    values: ['engine/**'],
    packages: ['zod'],
    says: 'src/engine imports nothing of ours above it, and no Node module',
  },
  worker: {
    values: ['engine/**', 'worker/**', 'import/**', 'qemu/**'],
    deny: [...REACT, ...DOM_LIBRARIES, ...NODE],
    says: 'src/worker only adapts messages to the engine, the importers and the QEMU reproducer',
  },
  state: {
    values: ['state/**', 'engine/**', 'worker/client.ts'],
    // The importer's and the reproducer's answers come through the worker: their types only.
    types: ['worker/protocol.ts', 'import/**', 'qemu/**'],
    deny: [...REACT, ...DOM_LIBRARIES],
    says: 'src/state imports the engine and the worker client, and no React',
  },
  ui: {
    values: [
      'ui/**',
      'state/store*',
      'engine/units.ts',
      'engine/inspect.ts',
      // formatValidationError: a formatting helper beside the types.
      'engine/scenario/types.ts',
      // The code tables only (UPPER_CASE names), not the encoders.
      'engine/columns.ts#CODES',
      'engine/tile-columns.ts#CODES',
      'engine/output/cells.ts#CODES',
    ],
    types: ['engine/**', 'import/**', 'qemu/**'],
    says:
      'src/ui imports only the store (src/state/store*), engine, import and qemu types (import type), ' +
      'src/engine/units.ts, src/engine/inspect.ts, formatValidationError and the code tables ' +
      'of src/engine/columns.ts, tile-columns.ts and output/cells.ts',
  },
  import: {
    values: [
      'import/**',
      'engine/units.ts',
      'engine/arch.ts',
      'engine/arch-presets.ts',
      'engine/scenario/**',
    ],
    types: ['engine/**'],
    packages: [],
    says: "src/import is pure: its own parsers, the engine's units, arch presets and scenario validation",
  },
  qemu: {
    values: ['qemu/**', 'engine/**'],
    packages: [],
    says: 'src/qemu is pure: its own modules and the engine',
  },
  cli: {
    values: [
      'cli/**',
      'engine/**',
      'import/**',
      'qemu/**',
      'state/url-codec.ts',
      'state/url-validate.ts',
      'state/view.ts',
    ],
    says: 'src/cli imports the engine, import, qemu and the share-link codec',
  },
};

const SRC = path.resolve(import.meta.dirname, 'src');
const EXEMPT = /(\.test\.tsx?|\.fixtures\.ts|\/testing[^/]*\.ts)$/;
const globRegex = (glob) => {
  const below = glob.endsWith('/**');
  const stem = (below ? glob.slice(0, -3) : glob)
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '[^/]*');
  return new RegExp(`^${stem}${below ? '(/.*)?' : ''}$`);
};
const matches = (globs, target) => globs.some((glob) => globRegex(glob).test(target));
const isCode = (name) => /^[A-Z][A-Z0-9_]*$/.test(name);

/** Whether `target` (a path under src) may be imported from `layer`, given what is imported. */
function allowed(rule, target, { typeOnly, names }) {
  const values = rule.values.filter((glob) => !glob.endsWith('#CODES'));
  if (matches(values, target)) return true;
  if (typeOnly && matches(rule.types ?? [], target)) return true;
  const codes = rule.values.filter((glob) => glob.endsWith('#CODES')).map((g) => g.slice(0, -6));
  return (
    matches(codes, target) &&
    names !== null &&
    names.every((name) => name.type || isCode(name.name))
  );
}

const packageName = (source) =>
  source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0];
const packageMatches = (list, source) =>
  list.some((entry) =>
    entry.endsWith('*') ? source.startsWith(entry.slice(0, -1)) : source === entry,
  );

const folderMap = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = path.resolve(context.filename);
    const relative = path.relative(SRC, file).split(path.sep).join('/');
    if (relative.startsWith('..') || EXEMPT.test(`/${relative}`)) return {};
    const rule = FOLDER_MAP[relative.split('/')[0]];
    if (!rule || !relative.includes('/')) return {};
    const check = (node, source, typeOnly, names) => {
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const target = path
          .relative(SRC, path.resolve(path.dirname(file), source))
          .split(path.sep)
          .join('/');
        if (target.startsWith('..')) return;
        if (!allowed(rule, target, { typeOnly, names }))
          context.report({
            node,
            message: `${rule.says} (src/README.md), not ${typeOnly ? 'types of ' : ''}src/${target}${
              names && !typeOnly
                ? ` (${names
                    .filter((n) => !n.type)
                    .map((n) => n.name)
                    .join(', ')})`
                : ''
            }.`,
          });
        return;
      }
      const refused = rule.packages
        ? !typeOnly && !rule.packages.includes(packageName(source))
        : packageMatches(rule.deny ?? [], source);
      if (refused)
        context.report({
          node,
          message: `${rule.says} (src/README.md): not the package ${source}.`,
        });
    };
    const specifierNames = (node) =>
      node.specifiers.every((s) => s.type === 'ImportSpecifier' || s.type === 'ExportSpecifier')
        ? node.specifiers.map((s) => ({
            name: (s.imported ?? s.local).name ?? (s.imported ?? s.local).value,
            type: s.importKind === 'type' || s.exportKind === 'type',
          }))
        : null;
    const typeOnlyOf = (node, kind) =>
      node[kind] === 'type' ||
      (node.specifiers?.length > 0 &&
        node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
    return {
      ImportDeclaration: (node) =>
        check(node, node.source.value, typeOnlyOf(node, 'importKind'), specifierNames(node)),
      ExportNamedDeclaration: (node) =>
        node.source &&
        check(node, node.source.value, typeOnlyOf(node, 'exportKind'), specifierNames(node)),
      ExportAllDeclaration: (node) =>
        check(node, node.source.value, node.exportKind === 'type', null),
      ImportExpression: (node) =>
        node.source.type === 'Literal' && check(node, node.source.value, false, null),
    };
  },
};

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
    files: ['src/**/*.{ts,tsx}'],
    plugins: { layers: { rules: { 'folder-map': folderMap } } },
    rules: { 'layers/folder-map': 'error' },
  },
  {
    files: ['src/engine/**/*.ts', 'src/import/**/*.ts', 'src/qemu/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.fixtures.ts', '**/testing*.ts'],
    languageOptions: { globals: {} },
    rules: { 'no-restricted-globals': ['error', ...domGlobals] },
  },
);
