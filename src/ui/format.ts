/** Display formatting shared by the panels (numbers only; every figure comes from the engine). */
export { formatBytes } from '../engine/units.ts';

export const formatCount = (value: number) => value.toLocaleString('en-US');

export const hexAddr = (value: number) => `0x${value.toString(16).padStart(9, '0')}`;
