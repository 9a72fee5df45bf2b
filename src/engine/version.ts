/** Bumped whenever the engine's results can change for the same scenario. */
export const ENGINE_VERSION = '0.1.0';
