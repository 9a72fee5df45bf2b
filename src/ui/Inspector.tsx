/** What is under the pointer (or selected): pfn, address, section, block, node, zone, and its struct page. */
import { inspectAddress } from '../engine/inspect.ts';
import { formatBytes, hexAddr } from './format.ts';
import { useApp } from './store-context.tsx';

export function Inspector() {
  const hover = useApp((s) => s.hover);
  const selection = useApp((s) => s.view.selection);
  const columns = useApp((s) => s.sim.columns);
  const result = useApp((s) => s.sim.result);
  const setView = useApp((s) => s.setView);
  const addr = hover ?? selection;
  if (!columns || !result || addr === null) {
    return (
      <p className="muted inspector-empty">Point at the map to inspect a page; click to keep it.</p>
    );
  }
  const found = inspectAddress(columns, result.resolved, addr);
  const rows: [string, string][] = [
    ['Physical address', hexAddr(found.addr)],
    ['pfn', `0x${found.pfn.toString(16)}`],
    ['Section', String(found.section)],
    ['Memory block', `memory${found.block}`],
    ['Node', found.node === null ? '—' : String(found.node)],
    ['Zone', found.zone ?? (found.kind === 'memory' ? 'none (offline)' : '—')],
    [
      'State',
      found.kind === 'device' ? `ZONE_DEVICE (${found.device?.kind})` : (found.state ?? 'hole'),
    ],
  ];
  if (found.selfHostedMemmap) rows.push(['This page holds', 'struct pages (memmap_on_memory)']);
  if (found.pinnedByMemmap)
    rows.push([
      'Its block',
      'pinned: it holds struct pages of other blocks, removed only after them',
    ]);
  if (found.occupant)
    rows.push(['Occupied by', `${found.occupant.kind} (${formatBytes(found.occupant.sizeBytes)})`]);
  rows.push([
    'struct page at',
    found.structPage
      ? `${hexAddr(found.structPage.addr)} on node ${found.structPage.node} (${found.structPage.host === 'self' ? 'inside the hot-added memory' : found.structPage.host === 'device' ? 'on the device' : 'in RAM'})${found.structPage.offNode ? ', off-node' : ''}`
      : '—',
  ]);
  rows.push([
    'vmemmap address',
    found.vmemmapAddr ?? (found.structPage ? 'set at boot on this arch' : '—'),
  ]);
  if (found.window)
    rows.push([
      `${formatBytes(Math.max(...result.resolved.hugePageSizes))} window`,
      `${hexAddr(found.window.start)}: ${found.window.status}`,
    ]);
  return (
    <div className="inspector">
      <dl aria-label="Inspector">
        {rows.map(([term, value]) => (
          <div key={term} className="inspector-row">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {selection !== null && (
        <button
          type="button"
          className="secondary small"
          onClick={() => setView({ selection: null })}
        >
          Clear selection
        </button>
      )}
    </div>
  );
}
