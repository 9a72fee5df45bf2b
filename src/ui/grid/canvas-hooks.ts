/**
 * The grid canvas's ties to the page: the colour scheme and motion preference, and the size of
 * its container (the backing store follows the device pixel ratio).
 */
import { useEffect, type Dispatch, type RefObject, type SetStateAction } from 'react';
import { gridPalette, type GridPalette } from './palette.ts';

export interface CanvasSize {
  width: number;
  height: number;
  dpr: number;
}

/** Keeps `palette` and `reducedMotion` as the system says, and redraws when they change. */
export function useMediaPreferences(
  palette: RefObject<GridPalette>,
  reducedMotion: RefObject<boolean>,
  requestFrame: () => void,
): void {
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const motion = window.matchMedia('(prefers-reduced-motion: reduce)');
    const update = () => {
      palette.current = gridPalette(media.matches);
      reducedMotion.current = motion.matches;
      requestFrame();
    };
    update();
    media.addEventListener('change', update);
    motion.addEventListener('change', update);
    return () => {
      media.removeEventListener('change', update);
      motion.removeEventListener('change', update);
    };
  }, [palette, reducedMotion, requestFrame]);
}

/** Sizes the canvas to its container, at the device pixel ratio, and tells the layout. */
export function useCanvasSize(
  containerRef: RefObject<HTMLDivElement | null>,
  canvasRef: RefObject<HTMLCanvasElement | null>,
  size: RefObject<CanvasSize>,
  setViewSize: Dispatch<SetStateAction<{ width: number; height: number }>>,
  requestFrame: () => void,
): void {
  useEffect(() => {
    const container = containerRef.current;
    const canvas = canvasRef.current;
    if (!container || !canvas) return;
    const observer = new ResizeObserver(() => {
      const rect = container.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      const next = { width: Math.max(240, rect.width), height: Math.max(320, rect.height), dpr };
      if (
        next.width === size.current.width &&
        next.height === size.current.height &&
        next.dpr === size.current.dpr &&
        canvas.width > 0
      )
        return;
      size.current = next;
      canvas.width = Math.round(next.width * dpr);
      canvas.height = Math.round(next.height * dpr);
      canvas.style.width = `${next.width}px`;
      canvas.style.height = `${next.height}px`;
      setViewSize({ width: Math.round(next.width), height: Math.round(next.height) });
      requestFrame();
    });
    observer.observe(container);
    return () => observer.disconnect();
  }, [containerRef, canvasRef, size, setViewSize, requestFrame]);
}
