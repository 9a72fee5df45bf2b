/** Where struct pages live, the links to what they describe, other allocations, and gigantic-page windows. */
import { REGION_KINDS, WINDOW_STATUSES } from '../../engine/columns.ts';
import { DETAIL_PX, eachRepetition, fillSpan, span, visibleUnits, type Frame } from './draw-kit.ts';
import { trackById, type Track } from './geometry.ts';
import type { Palette } from './palette.ts';

export function drawMemmapHosts(frame: Frame): void {
  const track = trackById(frame.layout, 'memmap');
  if (!track) return;
  const { memmap } = frame.columns;
  const { palette, scale } = frame;
  for (let i = 0; i < memmap.count; i++) {
    const host = memmap.host[i]!;
    const color =
      host === 0
        ? memmap.kind[i] === 0
          ? palette.memmapBoot
          : palette.memmapRam
        : host === 2
          ? palette.memmapDevice
          : palette.memmapSelf;
    const reps = memmap.repeat[i]!;
    if (reps > 1) {
      // A run that repeats (a memmap at every block start): each repetition when they are far
      // enough apart to see, else a band over the whole stretch.
      const period = memmap.hostPeriod[i]!;
      const start = memmap.hostStart[i]!;
      const end = start + (reps - 1) * period + memmap.hostSize[i]!;
      const s = span(frame, start, end);
      if (!s) continue;
      const periodPx = (s[1] - s[0]) / reps;
      if (periodPx < DETAIL_PX) {
        fillSpan(frame, track, s[0], s[1], color, track.height * 0.25, track.height * 0.5);
        continue;
      }
      const range = visibleUnits(frame, start, start + reps * period, period);
      if (!range) continue;
      for (let k = range[0]; k < range[1]; k++) {
        const x0 = scale(start + k * period);
        fillSpan(frame, track, x0, scale(start + k * period + memmap.hostSize[i]!), color);
      }
      continue;
    }
    const s = span(frame, memmap.hostStart[i]!, memmap.hostStart[i]! + memmap.hostSize[i]!);
    if (!s) continue;
    fillSpan(frame, track, s[0], s[1], color);
    if (memmap.hostNode[i] !== memmap.describesNode[i]) {
      frame.ctx.strokeStyle = palette.offNode;
      frame.ctx.lineWidth = 2;
      frame.ctx.strokeRect(
        Math.max(frame.layout.left, s[0]) - 1,
        track.y - 1,
        Math.max(3, s[1] - s[0]) + 2,
        track.height + 2,
      );
      frame.ctx.lineWidth = 1;
    }
  }
}

/** Bands from the memory a RAM-hosted memmap describes down to where it landed; off-node ones stand out. */
export function drawLinks(frame: Frame): void {
  const memory = trackById(frame.layout, 'memory');
  const hosts = trackById(frame.layout, 'memmap');
  if (!memory || !hosts) return;
  const { memmap } = frame.columns;
  const { ctx, scale, palette, layout } = frame;
  const yTop = memory.y + memory.height;
  const yBottom = hosts.y;
  for (let i = 0; i < memmap.count; i++) {
    if (memmap.host[i] === 1) continue;
    const d0 = scale(memmap.describesStart[i]!);
    const d1 = Math.max(d0 + 1, scale(memmap.describesStart[i]! + memmap.describesSize[i]!));
    const h0 = scale(memmap.hostStart[i]!);
    const h1 = Math.max(h0 + 1.5, scale(memmap.hostStart[i]! + memmap.hostSize[i]!));
    if (Math.max(d1, h1) < layout.left || Math.min(d0, h0) > layout.right) continue;
    const offNode = memmap.hostNode[i] !== memmap.describesNode[i];
    const boot = memmap.kind[i] === 0;
    const mid = (yTop + yBottom) / 2;
    ctx.beginPath();
    ctx.moveTo(d0, yTop);
    ctx.bezierCurveTo(d0, mid, h0, mid, h0, yBottom);
    ctx.lineTo(h1, yBottom);
    ctx.bezierCurveTo(h1, mid, d1, mid, d1, yTop);
    ctx.closePath();
    ctx.fillStyle = boot ? palette.memmapBoot : palette.memmapRam;
    ctx.globalAlpha = offNode ? 0.45 : boot ? 0.07 : 0.22;
    ctx.fill();
    ctx.globalAlpha = 1;
    if (offNode) {
      // A solid outline: dashed curves are very slow to rasterise without a GPU.
      ctx.strokeStyle = palette.offNode;
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }
}

export function drawAllocations(frame: Frame): void {
  const track = trackById(frame.layout, 'allocations');
  if (!track) return;
  const { regions } = frame.columns;
  const { palette } = frame;
  for (let i = 0; i < regions.count; i++) {
    const kind = REGION_KINDS[regions.kind[i]!];
    if (kind === 'memmap' || kind === 'boot-memmap') continue;
    const color =
      kind === 'hugetlb'
        ? regions.pageSize[i]! >= frame.windowSize
          ? palette.gigantic
          : palette.huge
        : kind === 'consume'
          ? palette.consume
          : kind === 'boot-used'
            ? palette.bootUsed
            : palette.kernel;
    eachRepetition(
      frame,
      regions.start[i]!,
      regions.size[i]!,
      regions.period[i]!,
      regions.repeat[i]!,
      (a, b, band) => {
        const s = span(frame, a, b);
        if (s)
          fillSpan(
            frame,
            track,
            s[0],
            s[1],
            color,
            band ? track.height * 0.25 : 0,
            band ? track.height * 0.5 : track.height,
          );
      },
    );
  }
}

const WINDOW_FILL: Record<string, keyof Palette> = {
  possible: 'windowPossible',
  allocated: 'gigantic',
  memmap: 'memmapSelf',
  movable: 'zone',
  boot: 'bootUsed',
  kernel: 'kernel',
  'in-use': 'huge',
};

export function drawWindows(frame: Frame): void {
  const track = trackById(frame.layout, 'windows');
  if (!track) return;
  const { windows } = frame.columns;
  const { windowSize } = frame;
  for (let i = 0; i < windows.count; i++) {
    const status = WINDOW_STATUSES[windows.status[i]!]!;
    if (status === 'offline' || status === 'mixed') continue;
    eachRepetition(
      frame,
      windows.start[i]!,
      windows.windows[i]! * windowSize,
      windows.period[i]!,
      windows.repeat[i]!,
      (start, end) => drawWindowRun(frame, track, status, start, end),
    );
  }
}

function drawWindowRun(
  frame: Frame,
  track: Track,
  status: string,
  start: number,
  end: number,
): void {
  const { ctx, palette, scale, windowSize } = frame;
  const s = span(frame, start, end);
  if (!s) return;
  const key = WINDOW_FILL[status] ?? 'windowBlocked';
  const color =
    key === 'zone' ? (palette.zone.Movable ?? palette.windowBlocked) : (palette[key] as string);
  const cellPx = ((s[1] - s[0]) * windowSize) / (end - start);
  if (cellPx < 4) {
    ctx.globalAlpha = status === 'possible' || status === 'allocated' ? 1 : 0.55;
    fillSpan(frame, track, s[0], s[1], color);
    ctx.globalAlpha = 1;
    return;
  }
  {
    const range = visibleUnits(frame, start, end, windowSize);
    if (!range) return;
    for (let k = range[0]; k < range[1]; k++) {
      const x0 = scale(start + k * windowSize) + 1;
      const x1 = scale(start + (k + 1) * windowSize) - 1;
      if (status === 'possible') {
        ctx.strokeStyle = color;
        ctx.lineWidth = 2;
        ctx.strokeRect(x0 + 1, track.y + 1, x1 - x0 - 2, track.height - 2);
        ctx.lineWidth = 1;
      } else {
        ctx.globalAlpha = status === 'allocated' ? 1 : 0.55;
        fillSpan(frame, track, x0, x1, color);
        ctx.globalAlpha = 1;
        if (status !== 'allocated' && x1 - x0 > 10) {
          ctx.strokeStyle = palette.windowBlocked;
          ctx.beginPath();
          ctx.moveTo(x0 + 3, track.y + 3);
          ctx.lineTo(x1 - 3, track.y + track.height - 3);
          ctx.moveTo(x1 - 3, track.y + 3);
          ctx.lineTo(x0 + 3, track.y + track.height - 3);
          ctx.stroke();
        }
      }
    }
  }
}
