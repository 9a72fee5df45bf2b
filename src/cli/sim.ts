// Filled in by the engine: `npm run sim -- [--json] <scenario.json | ->`.
console.error('usage: npm run sim -- [--json] <scenario.json | ->  (the engine is not built yet)');
process.exit(2);
