/**
 * What the page loads before the worker answers: the static imports (type-only ones left out,
 * as the bundler drops them) from src/main.tsx. The validator (zod and the schema) and the engine's
 * operations must not be among them; they are loaded lazily (state/validation.ts) or live in the
 * worker.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '..');

function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2023);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause !== undefined &&
          !clause.name &&
          named !== undefined &&
          ts.isNamedImports(named) &&
          named.elements.length > 0 &&
          named.elements.every((element) => element.isTypeOnly));
      if (!typeOnly) found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier &&
      !statement.isTypeOnly
    )
      found.push((statement.moduleSpecifier as ts.StringLiteral).text);
  }
  return found;
}

/** Every module reached from main.tsx: paths under src, and package names. */
function firstLoad(): Set<string> {
  const reached = new Set<string>();
  const visit = (file: string) => {
    const name = relative(src, file);
    if (reached.has(name)) return;
    reached.add(name);
    for (const specifier of staticImports(file)) {
      if (!specifier.startsWith('.')) reached.add(specifier);
      else if (/\.tsx?$/.test(specifier)) visit(resolve(dirname(file), specifier));
    }
  };
  visit(resolve(src, 'main.tsx'));
  return reached;
}

describe('first load', () => {
  const reached = firstLoad();

  it('reaches the store, the UI and the link codec (the walk itself works)', () => {
    for (const name of ['state/store.ts', 'state/url-sync.ts', 'state/url-codec.ts', 'ui/App.tsx'])
      expect(reached).toContain(name);
  });

  it('carries neither the validator nor zod nor any engine operation', () => {
    const engine = [...reached].filter((name) => name.startsWith('engine/'));
    expect([...reached].filter((name) => name === 'zod' || name.startsWith('zod/'))).toEqual([]);
    expect(
      engine.filter((name) =>
        /^engine\/(scenario\/(validate|schema)|simulate|ops|model|analysis|output\/snapshot)/.test(
          name,
        ),
      ),
    ).toEqual([]);
  });
});
