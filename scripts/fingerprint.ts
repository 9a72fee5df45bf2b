/**
 * Fingerprints of what the version numbers promise, recorded in test/fingerprints.json:
 *
 * - protocol: the shapes of the worker's messages as the TypeScript checker resolves them (every
 *   property of everything reachable from ToWorker and FromWorker, sorted, aliases and comments
 *   gone), plus the column code tables, hashed. A change needs a PROTOCOL_VERSION bump.
 * - engine: per demo of src/state/presets.ts, a hash of its scenario and of its result (the
 *   `engine` field left out). A demo whose scenario is the same but whose result differs needs an
 *   ENGINE_VERSION bump; a new or edited demo only needs recording.
 *
 * `npm run fingerprint` records the current state, and refuses (exit 1) when a version should
 * have been bumped first; the tests (src/worker/protocol.fingerprint.test.ts,
 * src/state/engine-version.test.ts) fail on anything not recorded.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import * as columns from '../src/engine/columns.ts';
import { simulate } from '../src/engine/simulate.ts';
import { ENGINE_VERSION } from '../src/engine/version.ts';
import { PRESETS } from '../src/state/presets.ts';
import { PROTOCOL_VERSION } from '../src/worker/protocol.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FINGERPRINTS_FILE = resolve(root, 'test/fingerprints.json');

export interface Fingerprints {
  protocol: { version: number; shapes: string };
  engine: { version: string; demos: Record<string, { scenario: string; result: string }> };
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** ToWorker and FromWorker resolved to their structure, one line each. */
export function protocolShapes(): string {
  const file = resolve(root, 'src/worker/protocol.ts');
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2023.d.ts'],
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const exported = checker.getExportsOfModule(moduleSymbol);
  const isLibrary = (symbol: ts.Symbol | undefined) =>
    !!symbol?.declarations?.length &&
    symbol.declarations.every((d) => program.isSourceFileDefaultLibrary(d.getSourceFile()));

  const shape = (type: ts.Type, stack: readonly ts.Type[]): string => {
    const depth = stack.indexOf(type);
    if (depth >= 0) return `<cycle ${stack.length - depth}>`;
    const inner = [...stack, type];
    const flags = type.flags;
    if (flags & ts.TypeFlags.Boolean) return 'boolean';
    if (type.isUnion())
      return [...new Set(type.types.map((t) => shape(t, inner)))].sort().join(' | ');
    if (type.isStringLiteral()) return JSON.stringify(type.value);
    if (type.isNumberLiteral()) return String(type.value);
    if (flags & ts.TypeFlags.BooleanLiteral) return checker.typeToString(type);
    const simple: [ts.TypeFlags, string][] = [
      [ts.TypeFlags.String, 'string'],
      [ts.TypeFlags.Number, 'number'],
      [ts.TypeFlags.BigInt, 'bigint'],
      [ts.TypeFlags.Undefined, 'undefined'],
      [ts.TypeFlags.Null, 'null'],
      [ts.TypeFlags.Unknown, 'unknown'],
      [ts.TypeFlags.Any, 'any'],
      [ts.TypeFlags.Never, 'never'],
      [ts.TypeFlags.Void, 'void'],
    ];
    for (const [flag, name] of simple) if (flags & flag) return name;
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      return `${shape(element!, inner)}[]`;
    }
    if (checker.isTupleType(type))
      return `[${checker
        .getTypeArguments(type as ts.TypeReference)
        .map((t) => shape(t, inner))
        .join(', ')}]`;
    // Typed arrays and the like: their name is their shape.
    if (isLibrary(type.getSymbol())) return type.getSymbol()!.getName();
    const members = checker
      .getPropertiesOfType(type)
      .map((property) => {
        const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
        return `${property.getName()}${optional}: ${shape(checker.getTypeOfSymbol(property), inner)}`;
      })
      .sort();
    for (const info of checker.getIndexInfosOfType(type))
      members.push(`[${shape(info.keyType, inner)}]: ${shape(info.type, inner)}`);
    for (const signature of type.getCallSignatures())
      members.push(`call: ${checker.signatureToString(signature)}`);
    return `{ ${members.join('; ')} }`;
  };

  return ['ToWorker', 'FromWorker']
    .map((name) => {
      const symbol = exported.find((s) => s.getName() === name);
      if (!symbol) throw new Error(`src/worker/protocol.ts exports no ${name}`);
      return `${name} = ${shape(checker.getDeclaredTypeOfSymbol(symbol), [])}`;
    })
    .join('\n');
}

/** Every table of column codes (arrays and named codes) exported by engine/columns.ts. */
export function codeTables(): string {
  const tables = Object.entries(columns)
    .filter(([, value]) => typeof value === 'object' && value !== null)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(Object.fromEntries(tables));
}

export function currentFingerprints(): Fingerprints {
  const demos: Fingerprints['engine']['demos'] = {};
  for (const preset of PRESETS) {
    const outcome = simulate(preset.scenario);
    const result = outcome.ok
      ? JSON.stringify(outcome.result, (key, value: unknown) =>
          key === 'engine' ? undefined : value,
        )
      : JSON.stringify(outcome.errors);
    demos[preset.id] = { scenario: hash(JSON.stringify(preset.scenario)), result: hash(result) };
  }
  return {
    protocol: {
      version: PROTOCOL_VERSION,
      shapes: hash(`${protocolShapes()}\n${codeTables()}`),
    },
    engine: { version: ENGINE_VERSION, demos },
  };
}

export const readFingerprints = (): Fingerprints =>
  JSON.parse(readFileSync(FINGERPRINTS_FILE, 'utf8')) as Fingerprints;

const RECORD = 'run `npm run fingerprint` to record it';

/** What is not recorded. `bump` problems need a version bump; the others only recording. */
export function protocolProblems(recorded: Fingerprints, now: Fingerprints) {
  const { version, shapes } = now.protocol;
  if (shapes !== recorded.protocol.shapes && version === recorded.protocol.version)
    return [
      {
        bump: true,
        text:
          `The worker's message shapes or column codes changed but PROTOCOL_VERSION is still ${version}: ` +
          `bump it in src/worker/protocol.ts (the rules are beside it), then ${RECORD}.`,
      },
    ];
  if (shapes !== recorded.protocol.shapes || version !== recorded.protocol.version)
    return [
      {
        bump: false,
        text: `PROTOCOL_VERSION ${version} is not recorded in test/fingerprints.json: ${RECORD}.`,
      },
    ];
  return [];
}

export function engineProblems(recorded: Fingerprints, now: Fingerprints) {
  const bumped = now.engine.version !== recorded.engine.version;
  const problems: { bump: boolean; text: string }[] = [];
  for (const [id, current] of Object.entries(now.engine.demos)) {
    const before = recorded.engine.demos[id];
    if (!before || before.scenario !== current.scenario)
      problems.push({ bump: false, text: `demo ${id} is new or was edited: ${RECORD}.` });
    else if (before.result !== current.result && !bumped)
      problems.push({
        bump: true,
        text:
          `demo ${id}: the engine's result changed but ENGINE_VERSION is still ${now.engine.version}: ` +
          `bump it in src/engine/version.ts (the rules are beside it), then ${RECORD}.`,
      });
  }
  for (const id of Object.keys(recorded.engine.demos))
    if (!(id in now.engine.demos))
      problems.push({ bump: false, text: `demo ${id} is gone: ${RECORD}.` });
  if (bumped && !problems.some((p) => p.bump))
    problems.push({
      bump: false,
      text: `ENGINE_VERSION ${now.engine.version} is not recorded in test/fingerprints.json: ${RECORD}.`,
    });
  return problems;
}

function main(): void {
  const now = currentFingerprints();
  let recorded: Fingerprints | null = null;
  try {
    recorded = readFingerprints();
  } catch {
    console.log('fingerprint: no test/fingerprints.json yet; writing one');
  }
  if (recorded) {
    const refused = [...protocolProblems(recorded, now), ...engineProblems(recorded, now)].filter(
      (problem) => problem.bump,
    );
    if (refused.length) {
      for (const problem of refused) console.error(`fingerprint: ${problem.text}`);
      console.error('fingerprint: nothing written');
      process.exit(1);
    }
  }
  writeFileSync(FINGERPRINTS_FILE, `${JSON.stringify(now, null, 2)}\n`);
  console.log(
    `fingerprint: recorded protocol v${now.protocol.version}, engine ${now.engine.version} ` +
      `(${Object.keys(now.engine.demos).length} demos) in test/fingerprints.json`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
