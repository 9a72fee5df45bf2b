/**
 * What the colours on the map mean: an entry for every kind of cell the map draws now, each
 * swatch painted with the exact colour the canvas uses (one palette table for both).
 */
import { useEffect, useState } from 'react';
import { CELL, type CellKind } from '../../engine/output/cells.ts';
import type { TileColumns } from '../../engine/tile-columns.ts';
import { kindsShown, pinnedRowCount } from './bitmaps.ts';
import { MIN_MEMMAP_PX } from './draw.ts';

const MEMMAP_CELLS: ReadonlySet<number> = new Set([
  CELL.memmapSelf,
  CELL.memmapRam,
  CELL.deviceMemmap,
]);
import type { GridLayout } from './layout.ts';
import { CELL_LABELS, gridPalette, nodeColor } from './palette.ts';

function useDark(): boolean {
  const [dark, setDark] = useState(
    () => globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false,
  );
  useEffect(() => {
    const media = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    if (!media) return;
    const update = () => setDark(media.matches);
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);
  return dark;
}

export function GridLegend({
  layout,
  tiles,
  badges,
  differs = false,
}: {
  layout: GridLayout;
  tiles: TileColumns;
  badges: boolean;
  /** Compare mode's B marks cells that differ from A. */
  differs?: boolean;
}) {
  const palette = gridPalette(useDark());
  const kinds = [
    ...kindsShown(
      tiles,
      layout.slots.map((slot) => slot.row),
    ),
  ]
    .filter((kind) => kind !== CELL.hole)
    .sort((a, b) => a - b) as CellKind[];
  const nodes = [...new Set(layout.bands.map((band) => band.node))].sort((a, b) => a - b);
  const pinned = layout.slots.some((slot) => pinnedRowCount(tiles, slot.row) > 0);
  return (
    <ul className="legend" aria-label="Legend">
      {kinds.map((kind) => (
        <li key={kind} data-kind={kind}>
          <span className="swatch" style={{ background: palette.cell[kind] }} aria-hidden="true" />
          {CELL_LABELS[kind]}
        </li>
      ))}
      {kinds.some((kind) => MEMMAP_CELLS.has(kind)) && (
        <li className="legend-note">
          memmap drawn at least {MIN_MEMMAP_PX} px wide when zoomed out
        </li>
      )}
      {nodes.map((node) => (
        <li key={`node-${node}`}>
          <span
            className="swatch"
            style={{ background: nodeColor(palette, node) }}
            aria-hidden="true"
          />
          node {node}
        </li>
      ))}
      {pinned && (
        <li data-mark="pinned">
          <span
            className="swatch"
            style={{
              background: `repeating-linear-gradient(45deg, ${palette.pinned} 0 1.5px, transparent 1.5px 5px)`,
              outline: `2px solid ${palette.pinned}`,
              outlineOffset: '-2px',
            }}
            aria-hidden="true"
          />
          block pinned: holds struct pages of other blocks (removed only after them)
        </li>
      )}
      {differs && (
        <li>
          <span className="swatch" style={{ background: palette.differs }} aria-hidden="true" />
          differs from A
        </li>
      )}
      {badges && (
        <>
          <li>
            <span className="swatch" style={{ background: palette.possible }} aria-hidden="true" />
            gigantic page possible
          </li>
          <li>
            <span className="swatch" style={{ background: palette.blocked }} aria-hidden="true" />
            gigantic page blocked
          </li>
        </>
      )}
    </ul>
  );
}
