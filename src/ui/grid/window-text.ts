/** How the accessible list reads a slot: its hex range, how many windows, and the engine's words. */
import { formatCount } from '../format.ts';
import type { TileColumns } from '../../engine/tile-columns.ts';
import { hex } from '../../engine/units.ts';
import type { GridLayout } from './layout.ts';
import { pinnedRowCount, shapeOf } from './bitmaps.ts';

export function windowItemText(
  slot: GridLayout['slots'][number],
  tiles: TileColumns,
  labels: readonly string[],
): string {
  const tileSize = tiles.tileSize;
  const last = slot.repeat > 1 ? slot.endAddr - 1 : slot.startAddr + slot.tiles * tileSize - 1;
  const windows = slot.tiles * slot.repeat;
  const count =
    slot.repeat > 1
      ? ` (${formatCount(windows)} windows, ${slot.tiles} in every ${slot.every})`
      : windows > 1
        ? ` (${formatCount(windows)} windows)`
        : '';
  return `${hex(slot.startAddr)}–${hex(last)}${count}: ${labels[tiles.label[slot.row]!] ?? ''}${pinnedText(slot.row, tiles)}`;
}

/** What the hatch says (a row is a memory block, or a part of one when blocks span windows). */
function pinnedText(member: number, tiles: TileColumns): string {
  const pinned = pinnedRowCount(tiles, member);
  if (pinned === 0) return '';
  return `; ${pinned} of its ${shapeOf(tiles).rows} rows are in blocks pinned by hosting memmap`;
}
