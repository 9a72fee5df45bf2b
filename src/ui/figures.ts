/**
 * The Summary's figures as text, from the catalog's list (the engine names and orders them): one
 * place that formats a value, a total ("3 of 13") and a difference ("+2 MiB").
 */
import type { CatalogFigure } from '../engine/catalog.ts';
import type { Summary } from '../engine/result.ts';
import { formatBytes, formatCount } from './format.ts';

export function figureLabel(figure: CatalogFigure, summary: Summary): string {
  return figure.sized ? `${formatBytes(summary.giganticPageSize)} ${figure.label}` : figure.label;
}

const plain = (figure: CatalogFigure, value: number) =>
  figure.unit === 'bytes' ? formatBytes(value) : formatCount(value);

export function figureText(figure: CatalogFigure, summary: Summary): string {
  const value = summary[figure.key];
  const text = plain(figure, value);
  if (!figure.of) return text;
  const total = summary[figure.of];
  return `${text} of ${plain(figure, total)}${figure.key === 'giganticPossible' ? ' windows' : ''}`;
}

/** "+2 MiB", "−8", or null when equal. */
export function deltaText(figure: CatalogFigure, delta: number): string | null {
  if (delta === 0) return null;
  const sign = delta > 0 ? '+' : '−';
  return `${sign}${plain(figure, Math.abs(delta))}`;
}
