/** Display formatting shared by the panels (numbers only; every figure comes from the engine). */
export { formatBytes } from '../engine/units.ts';

/** 1,234,567 (Intl's toLocaleString is slow enough to show in a first render). */
export const formatCount = (value: number) =>
  Number.isInteger(value)
    ? String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
    : value.toLocaleString('en-US');

export const hexAddr = (value: number) => `0x${value.toString(16).padStart(9, '0')}`;
