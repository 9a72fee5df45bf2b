/**
 * A 2D context that records what is drawn instead of drawing it: the grid's render tests run in
 * Node against it and assert on the calls (which bitmap went where, which rectangles, which text).
 */
import type { DrawContext } from './draw.ts';

export interface Call {
  op: string;
  args: unknown[];
  fillStyle: string;
  strokeStyle: string;
  globalAlpha: number;
}

export function recordingContext(): DrawContext & { calls: Call[] } {
  const calls: Call[] = [];
  const state = {
    fillStyle: '#000000' as string,
    strokeStyle: '#000000' as string,
    lineWidth: 1,
    font: '10px sans-serif',
    textAlign: 'left' as CanvasTextAlign,
    textBaseline: 'alphabetic' as CanvasTextBaseline,
    globalAlpha: 1,
    imageSmoothingEnabled: true,
  };
  const stack: (typeof state)[] = [];
  const record =
    (op: string) =>
    (...args: unknown[]) => {
      calls.push({
        op,
        args,
        fillStyle: state.fillStyle,
        strokeStyle: state.strokeStyle,
        globalAlpha: state.globalAlpha,
      });
    };
  const ctx = {
    calls,
    fillRect: record('fillRect'),
    strokeRect: record('strokeRect'),
    fillText: record('fillText'),
    drawImage: record('drawImage'),
    beginPath: record('beginPath'),
    moveTo: record('moveTo'),
    lineTo: record('lineTo'),
    stroke: record('stroke'),
    setLineDash: record('setLineDash'),
    measureText: (text: string) => ({ width: text.length * 6 }) as TextMetrics,
    save: () => stack.push({ ...state }),
    restore: () => Object.assign(state, stack.pop() ?? state),
  };
  return new Proxy(ctx, {
    get: (target, key) =>
      key in target ? target[key as keyof typeof target] : state[key as keyof typeof state],
    set: (_target, key, value) => {
      (state as Record<string, unknown>)[key as string] = value;
      return true;
    },
  }) as unknown as DrawContext & { calls: Call[] };
}
