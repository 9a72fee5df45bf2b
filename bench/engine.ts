// Filled in by the engine: prints wall time and heap for the three benchmark machines.
console.log('bench: the engine is not built yet');
