/** The headline figures, each with its raw number in data-value beside the formatted text. */
import { formatBytes, formatCount } from './format.ts';
import { useApp } from './store-context.tsx';

interface Item {
  term: string;
  value: number;
  text: string;
  note?: string;
}

export function Summary() {
  const result = useApp((s) => s.sim.result);
  if (!result) return <p className="muted">Waiting for the engine…</p>;
  const summary = result.final.summary;
  const hugeSize = formatBytes(summary.giganticPageSize);
  const items: Item[] = [
    {
      term: 'Memmap total',
      value: summary.memmapTotalBytes,
      text: formatBytes(summary.memmapTotalBytes),
      note: 'struct pages of hot-added and device memory',
    },
    {
      term: 'Memmap taken from existing RAM',
      value: summary.memmapFromRamBytes,
      text: formatBytes(summary.memmapFromRamBytes),
    },
    {
      term: 'Memmap inside hot-added memory',
      value: summary.memmapSelfHostedBytes,
      text: formatBytes(summary.memmapSelfHostedBytes),
    },
    {
      term: 'Memmap off-node',
      value: summary.memmapOffNodeBytes,
      text: formatBytes(summary.memmapOffNodeBytes),
    },
    {
      term: 'Memmap wasted (force)',
      value: summary.memmapWastedBytes,
      text: formatBytes(summary.memmapWastedBytes),
    },
    {
      term: 'Memmap on devices',
      value: summary.memmapDeviceBytes,
      text: formatBytes(summary.memmapDeviceBytes),
    },
    {
      term: `${hugeSize} pages possible`,
      value: summary.giganticPossible,
      text: `${formatCount(summary.giganticPossible)} of ${formatCount(summary.giganticWindows)} windows`,
    },
    { term: 'MemTotal', value: summary.memTotal, text: formatBytes(summary.memTotal) },
    { term: 'MemFree', value: summary.memFree, text: formatBytes(summary.memFree) },
    {
      term: 'Memory blocks all memmap',
      value: summary.blocksAllMemmap,
      text: formatCount(summary.blocksAllMemmap),
      note: 'blocks with no usable page: the RFC packs a request memmap at its start',
    },
    {
      term: 'Boot memmap',
      value: summary.bootMemmapBytes,
      text: formatBytes(summary.bootMemmapBytes),
    },
    {
      term: 'Memory blocks online',
      value: summary.blocksOnline,
      text: `${formatCount(summary.blocksOnline)} of ${formatCount(summary.blocks)}`,
    },
  ];
  return (
    <dl aria-label="Summary" className="summary">
      {items.map((item) => (
        <div key={item.term} className="summary-row">
          <dt title={item.note}>{item.term}</dt>
          <dd data-value={item.value}>{item.text}</dd>
        </div>
      ))}
    </dl>
  );
}
