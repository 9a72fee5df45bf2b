/**
 * Colours of the map, read from CSS custom properties so the canvas follows the light and dark
 * themes. Data colours are Okabe–Ito (safe under the common colour-vision deficiencies); where
 * two things could still be confused, the drawing adds a texture or a label.
 */
export interface Palette {
  background: string;
  panel: string;
  text: string;
  muted: string;
  grid: string;
  zone: Record<string, string>;
  offline: string;
  hole: string;
  memmapSelf: string;
  memmapWaste: string;
  memmapRam: string;
  memmapBoot: string;
  memmapDevice: string;
  offNode: string;
  kernel: string;
  consume: string;
  bootUsed: string;
  huge: string;
  gigantic: string;
  windowPossible: string;
  windowBlocked: string;
  hover: string;
  selection: string;
}

const VARS: Record<string, string> = {
  background: '--bg',
  panel: '--panel',
  text: '--text',
  muted: '--muted',
  grid: '--map-grid',
  offline: '--map-offline',
  hole: '--map-hole',
  memmapSelf: '--map-memmap-self',
  memmapWaste: '--map-memmap-waste',
  memmapRam: '--map-memmap-ram',
  memmapBoot: '--map-memmap-boot',
  memmapDevice: '--map-memmap-device',
  offNode: '--map-offnode',
  kernel: '--map-kernel',
  consume: '--map-consume',
  bootUsed: '--map-boot-used',
  huge: '--map-huge',
  gigantic: '--map-gigantic',
  windowPossible: '--map-window-possible',
  windowBlocked: '--map-window-blocked',
  hover: '--map-hover',
  selection: '--map-selection',
};

const ZONE_VARS: Record<string, string> = {
  DMA: '--zone-dma',
  DMA32: '--zone-dma32',
  Normal: '--zone-normal',
  Movable: '--zone-movable',
  Device: '--zone-device',
};

export function readPalette(element: Element): Palette {
  const style = getComputedStyle(element);
  const read = (name: string) => style.getPropertyValue(name).trim() || '#888888';
  const palette = Object.fromEntries(
    Object.entries(VARS).map(([key, name]) => [key, read(name)]),
  ) as unknown as Palette;
  palette.zone = Object.fromEntries(
    Object.entries(ZONE_VARS).map(([zone, name]) => [zone, read(name)]),
  );
  return palette;
}

/** Node colours: golden-angle hues, so neighbouring node ids never look alike. */
export function nodeColor(node: number, dark: boolean): string {
  const hue = (node * 137.508 + 200) % 360;
  return `hsl(${hue.toFixed(0)} ${dark ? 22 : 28}% ${dark ? 36 : 74}%)`;
}
