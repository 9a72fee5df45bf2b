/**
 * The grid's accessible twin: one item per drawn tile or collapsed run, starting with its hex
 * range, then how many windows it stands for, then the engine's words for what it is. Items only
 * for what is drawn, so the DOM stays small on any machine.
 */
import { memo } from 'react';
import type { TileColumns } from '../../engine/tile-columns.ts';
import type { GridLayout } from './layout.ts';
import { windowItemText } from './window-text.ts';

export const WindowList = memo(function WindowList({
  layout,
  tiles,
  labels,
  name = 'Gigantic page windows',
}: {
  layout: GridLayout;
  tiles: TileColumns;
  labels: readonly string[];
  name?: string;
}) {
  return (
    <ul className="visually-hidden" aria-label={name}>
      {layout.slots.map((slot) => (
        <li key={slot.row}>{windowItemText(slot, tiles, labels)}</li>
      ))}
    </ul>
  );
});
