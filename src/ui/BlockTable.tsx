/** The accessible alternative to the canvas: memory blocks as lsmem prints them, one row per run. */
import { useState } from 'react';
import { PLACEMENTS, ZONE_CODES, type MapColumns } from '../engine/columns.ts';
import { formatBytes } from './format.ts';
import { useApp } from './store-context.tsx';

const hex16 = (value: number) => `0x${value.toString(16).padStart(16, '0')}`;
/** Where the memmap of block run i lives, in the words of the MEMMAP column. */
function memmapWhere({ blocks }: MapColumns, i: number): string {
  const placement = PLACEMENTS[blocks.placement[i]!];
  if (placement === 'boot') return 'boot memmap';
  if (placement === 'self-per-request') return 'in the request start';
  if (blocks.memmapBytes[i]! > 0)
    return `${formatBytes(blocks.memmapBytes[i]!)} at each block start`;
  const host = blocks.memmapHostNode[i]!;
  return host === -2 ? 'RAM of several nodes' : host >= 0 ? `RAM of node ${host}` : '—';
}

/** Rows per page: the DOM stays small whatever the machine (a page of runs, not of blocks). */
const PAGE = 100;

export function BlockTable() {
  const columns = useApp((s) => s.sim.columns);
  const result = useApp((s) => s.sim.result);
  const [page, setPage] = useState(0);
  if (!columns || !result) return null;
  const { blocks } = columns;
  const blockSize = result.resolved.blockSize;
  const rows = [];
  const pages = Math.max(1, Math.ceil(blocks.count / PAGE));
  const current = Math.min(page, pages - 1);
  for (let i = current * PAGE; i < Math.min(blocks.count, (current + 1) * PAGE); i++) {
    const start = blocks.start[i]!;
    const size = blocks.blocks[i]! * blockSize;
    const where = memmapWhere(columns, i);
    const first = blocks.firstBlock[i]!;
    rows.push(
      <tr key={start}>
        <td>
          <code>
            {hex16(start)}-{hex16(start + size - 1)}
          </code>
        </td>
        <td data-value={size}>{formatBytes(size)}</td>
        <td>{blocks.online[i] ? 'online' : 'offline'}</td>
        <td>{blocks.node[i]}</td>
        <td>{ZONE_CODES[blocks.zone[i]!] ?? '—'}</td>
        <td>{where}</td>
        <td>{blocks.blocks[i]! > 1 ? `${first}-${first + blocks.blocks[i]! - 1}` : first}</td>
        <td>{blocks.event[i]! < 0 ? 'boot' : `event ${blocks.event[i]! + 1}`}</td>
      </tr>,
    );
  }
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Memory blocks table">
      <table className="block-table">
        <caption>
          Memory blocks ({formatBytes(blockSize)} each), runs of identical neighbours as lsmem
          merges them
          {pages > 1
            ? `; runs ${current * PAGE + 1}–${Math.min(blocks.count, (current + 1) * PAGE)} of ${blocks.count}`
            : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Range</th>
            <th scope="col">Size</th>
            <th scope="col">State</th>
            <th scope="col">Node</th>
            <th scope="col">Zone</th>
            <th scope="col">Memmap</th>
            <th scope="col">Blocks</th>
            <th scope="col">Added by</th>
          </tr>
        </thead>
        <tbody>{rows}</tbody>
      </table>
      {pages > 1 && (
        <div className="pager">
          <button
            type="button"
            className="secondary small"
            disabled={current === 0}
            onClick={() => setPage(current - 1)}
          >
            Previous runs
          </button>
          <span>
            page {current + 1} of {pages}
          </span>
          <button
            type="button"
            className="secondary small"
            disabled={current >= pages - 1}
            onClick={() => setPage(current + 1)}
          >
            Next runs
          </button>
        </div>
      )}
    </div>
  );
}
