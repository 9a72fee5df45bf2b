/**
 * Export the map as it is on screen: PNG at twice its size (crisp on a slide) and SVG as shapes.
 * Both redraw the current frame with the grid's own drawing code, into an offscreen canvas or
 * into the SVG context, so an export is exactly what the user sees.
 */
import type { LiteResult, MapColumns } from '../../engine/columns.ts';
import { BitmapCache, type BitmapFactory } from './bitmaps.ts';
import { drawGrid, type DrawContext, type GridFrame } from './draw.ts';
import { drawPages } from './pages.ts';
import { pixelImage, svgContext } from './svg.ts';

/** What a frame needs besides a context (GridCanvas hands it out for an export). */
export type FrameInputs = Omit<GridFrame, 'ctx' | 'bitmaps'> & {
  columns: MapColumns;
  result: LiteResult;
};

/** Draws the grid and its page detail: the part of a frame that an export repeats. */
export function paintFrame(ctx: DrawContext, inputs: FrameInputs, bitmaps: BitmapCache): void {
  const { columns, result, ...rest } = inputs;
  const frame: GridFrame = { ...rest, ctx, bitmaps };
  drawGrid(frame);
  drawPages(frame, columns, result.resolved);
}

export const canvasBitmap: BitmapFactory = (width, height, rgba) => {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas
    .getContext('2d')
    ?.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  return canvas;
};

export function exportPng(inputs: FrameInputs, scale = 2): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(inputs.width * scale);
  canvas.height = Math.round(inputs.height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('This browser gives no 2D canvas for the export'));
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  // Transient marks (hover, cursor) are not part of the picture; the selection is.
  const still = { ...inputs, hover: null, cursor: null, changed: new Set<number>() };
  paintFrame(ctx, still, new BitmapCache(inputs.tiles, inputs.palette, canvasBitmap));
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be encoded'))),
      'image/png',
    ),
  );
}

export function exportSvg(inputs: FrameInputs, title: string): string {
  const ctx = svgContext(Math.round(inputs.width), Math.round(inputs.height));
  const still = { ...inputs, hover: null, cursor: null, changed: new Set<number>() };
  paintFrame(ctx, still, new BitmapCache(inputs.tiles, inputs.palette, pixelImage));
  return ctx.document(title);
}

/** "memmap-explorer-16-gib-vm-64-gib-hot-add.png": the scenario's title, made a file name. */
export function fileName(title: string | undefined, suffix: string): string {
  const slug = (title ?? '')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `memmap-explorer${slug ? `-${slug}` : ''}${suffix}`;
}

/** Offers a blob or text as a download named `name`. */
export function download(name: string, data: Blob | string, type = 'application/json'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL can go once the event loop has turned.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
