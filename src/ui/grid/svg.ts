/**
 * The grid as SVG shapes: a DrawContext that writes elements instead of pixels, so the export
 * is the very frame the canvas draws (same layout, colours, badges), readable in a browser and in
 * Inkscape. A tile bitmap becomes one <symbol> of merged same-colour rectangles, drawn with <use>
 * per tile, so a grid of many alike tiles stays small.
 */
import type { DrawContext } from './draw.ts';

/** What the SVG exporter's bitmap factory makes: the pixels, kept for the symbol. */
export interface PixelImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export const pixelImage = (width: number, height: number, rgba: Uint8ClampedArray): PixelImage => ({
  width,
  height,
  rgba,
});

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const num = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));

const hexOf = (rgba: Uint8ClampedArray, i: number) =>
  `#${((1 << 24) | (rgba[i]! << 16) | (rgba[i + 1]! << 8) | rgba[i + 2]!).toString(16).slice(1)}`;

/** One row's runs of a colour become one rectangle each (pixel units of the bitmap). */
function symbolBody(image: PixelImage): string {
  const parts: string[] = [];
  for (let y = 0; y < image.height; y++) {
    let x = 0;
    while (x < image.width) {
      const colour = hexOf(image.rgba, (y * image.width + x) * 4);
      let end = x + 1;
      while (end < image.width && hexOf(image.rgba, (y * image.width + end) * 4) === colour) end++;
      parts.push(`<rect x="${x}" y="${y}" width="${end - x}" height="1" fill="${colour}"/>`);
      x = end;
    }
  }
  return parts.join('');
}

interface State {
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  font: string;
  textAlign: CanvasTextAlign;
  textBaseline: CanvasTextBaseline;
  globalAlpha: number;
  imageSmoothingEnabled: boolean;
  dash: number[];
}

export interface SvgContext extends DrawContext {
  /** The finished document. */
  document(title: string): string;
}

export function svgContext(width: number, height: number): SvgContext {
  const body: string[] = [];
  const symbols = new Map<PixelImage, string>();
  const defs: string[] = [];
  let path: string[] = [];
  const state: State = {
    fillStyle: '#000000',
    strokeStyle: '#000000',
    lineWidth: 1,
    font: '10px sans-serif',
    textAlign: 'left',
    textBaseline: 'alphabetic',
    globalAlpha: 1,
    imageSmoothingEnabled: false,
    dash: [],
  };
  const stack: State[] = [];
  const opacity = () => (state.globalAlpha < 1 ? ` opacity="${num(state.globalAlpha)}"` : '');
  const dash = () => (state.dash.length ? ` stroke-dasharray="${state.dash.join(' ')}"` : '');
  // Canvas measures text with the real font; a fixed advance is close enough for pill widths.
  const fontPx = () => Number.parseFloat(/(\d+(?:\.\d+)?)px/.exec(state.font)?.[1] ?? '10');

  const ctx = {
    fillRect(x: number, y: number, w: number, h: number) {
      body.push(
        `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="${state.fillStyle}"${opacity()}/>`,
      );
    },
    strokeRect(x: number, y: number, w: number, h: number) {
      body.push(
        `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="none" stroke="${state.strokeStyle}" stroke-width="${num(state.lineWidth)}"${dash()}${opacity()}/>`,
      );
    },
    fillText(text: string, x: number, y: number) {
      const anchor =
        state.textAlign === 'right' || state.textAlign === 'end'
          ? 'end'
          : state.textAlign === 'center'
            ? 'middle'
            : 'start';
      const baseline =
        state.textBaseline === 'middle'
          ? 'central'
          : state.textBaseline === 'top'
            ? 'hanging'
            : 'alphabetic';
      const weight = /^(\d00|bold)\s/.exec(state.font)?.[1];
      const family = state.font.includes('monospace') ? 'monospace' : 'system-ui, sans-serif';
      body.push(
        `<text x="${num(x)}" y="${num(y)}" font-size="${num(fontPx())}" font-family="${family}"${weight ? ` font-weight="${weight}"` : ''} text-anchor="${anchor}" dominant-baseline="${baseline}" fill="${state.fillStyle}"${opacity()}>${escape(text)}</text>`,
      );
    },
    measureText: (text: string) => ({ width: text.length * fontPx() * 0.58 }) as TextMetrics,
    beginPath() {
      path = [];
    },
    moveTo(x: number, y: number) {
      path.push(`M${num(x)} ${num(y)}`);
    },
    lineTo(x: number, y: number) {
      path.push(`L${num(x)} ${num(y)}`);
    },
    stroke() {
      if (!path.length) return;
      body.push(
        `<path d="${path.join('')}" fill="none" stroke="${state.strokeStyle}" stroke-width="${num(state.lineWidth)}"${dash()}${opacity()}/>`,
      );
    },
    setLineDash(segments: number[]) {
      state.dash = [...segments];
    },
    save() {
      stack.push({ ...state, dash: [...state.dash] });
    },
    restore() {
      Object.assign(state, stack.pop() ?? state);
    },
    drawImage(image: unknown, x: number, y: number, w: number, h: number) {
      const pixels = image as PixelImage;
      if (!pixels || !(pixels.rgba instanceof Uint8ClampedArray)) return;
      let id = symbols.get(pixels);
      if (!id) {
        id = `tile${symbols.size}`;
        symbols.set(pixels, id);
        defs.push(
          `<symbol id="${id}" viewBox="0 0 ${pixels.width} ${pixels.height}" preserveAspectRatio="none" shape-rendering="crispEdges">${symbolBody(pixels)}</symbol>`,
        );
      }
      body.push(
        `<use href="#${id}" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}"${opacity()}/>`,
      );
    },
    document(title: string) {
      return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
        `<title>${escape(title)}</title>`,
        `<defs>${defs.join('')}</defs>`,
        `<g>${body.join('')}</g>`,
        '</svg>',
      ].join('\n');
    },
  };
  return new Proxy(ctx, {
    get: (target, key) =>
      key in target ? target[key as keyof typeof target] : state[key as keyof State],
    set: (_target, key, value) => {
      (state as unknown as Record<string, unknown>)[key as string] = value;
      return true;
    },
  }) as unknown as SvgContext;
}
