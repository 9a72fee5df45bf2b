/**
 * The half-second after a change: struct-page chunks travel from the memory they describe to
 * where they landed. A chunk taken from RAM flies from its tiles to the cells that hold it (the
 * off-node case crosses bands); a self-hosted memmap settles into the first cells of its rows.
 */
import { HOST } from '../../engine/columns.ts';
import { CELL } from '../../engine/output/cells.ts';
import type { MemmapColumns } from '../../engine/columns.ts';
import type { GridFrame } from './draw.ts';
import { cellRect } from './marks.ts';
import { slotOf } from './layout.ts';

const ease = (t: number) => (t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2);
const MAX_CHUNKS = 96;

export function drawChunks(frame: GridFrame, memmap: MemmapColumns, t: number): void {
  if (t >= 1) return;
  const { ctx, palette, transform, layout } = frame;
  const k = ease(t);
  let drawn = 0;
  ctx.globalAlpha = 0.85 * (1 - k * 0.5);
  for (let i = 0; i < memmap.count && drawn < MAX_CHUNKS; i++) {
    if (memmap.kind[i] === 0) continue;
    const reps = Math.min(memmap.repeat[i]!, 16);
    for (let r = 0; r < reps && drawn < MAX_CHUNKS; r++) {
      const described = memmap.describesStart[i]! + r * memmap.describesPeriod[i]!;
      const host = memmap.hostStart[i]! + r * memmap.hostPeriod[i]!;
      const from = slotOf(layout, described);
      const to = cellRect(frame, host);
      if (!from || !to) continue;
      const fx = from.x * transform.k + transform.x + (from.size * transform.k) / 2;
      const fy = from.y * transform.k + transform.y + (from.size * transform.k) / 2;
      const x = fx + (to.x - fx) * k;
      const y = fy + (to.y - fy) * k;
      const size = Math.max(4, 14 * (1 - k) + Math.max(to.w, 3) * k);
      ctx.fillStyle =
        memmap.host[i] === HOST.ram ? palette.cell[CELL.memmapRam] : palette.cell[CELL.memmapSelf];
      ctx.fillRect(x - size / 2, y - size / 2, size, Math.max(4, 14 * (1 - k) + to.h * k));
      drawn++;
    }
  }
  ctx.globalAlpha = 1;
}
