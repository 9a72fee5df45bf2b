/** What the colours mean; swatches use the same CSS variables as the canvas. */
const ENTRIES: [string, string][] = [
  ['--zone-dma32', 'ZONE_DMA32'],
  ['--zone-normal', 'ZONE_NORMAL'],
  ['--zone-movable', 'ZONE_MOVABLE'],
  ['--map-offline', 'offline block'],
  ['--zone-device', 'ZONE_DEVICE'],
  ['--map-memmap-self', 'memmap inside the block (altmap)'],
  ['--map-memmap-waste', 'force-mode padding'],
  ['--map-memmap-ram', 'memmap taken from RAM'],
  ['--map-offnode', 'off-node memmap'],
  ['--map-memmap-boot', 'boot memmap'],
  ['--map-kernel', 'kernel allocations'],
  ['--map-huge', 'huge pages'],
  ['--map-window-possible', 'gigantic window free'],
];

export function Legend() {
  return (
    <ul className="legend" aria-label="Legend">
      {ENTRIES.map(([variable, label]) => (
        <li key={variable}>
          <span className="swatch" style={{ background: `var(${variable})` }} aria-hidden="true" />
          {label}
        </li>
      ))}
    </ul>
  );
}
