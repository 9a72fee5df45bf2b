/**
 * Compare mode's switch: fork the scenario into A and B, with one click for the common pairs;
 * while comparing, leave keeping B (or A).
 */
import { COMPARE_PAIRS } from '../state/store.ts';
import { useApp, useAppStoreApi } from './store-context.tsx';

export function CompareBar() {
  const store = useAppStoreApi();
  const comparing = useApp((s) => s.compare !== null);
  if (comparing)
    return (
      <div className="compare-bar" role="group" aria-label="Compare">
        <span className="compare-on">Comparing A and B</span>
        <button type="button" className="small" onClick={() => store.getState().stopCompare('b')}>
          Leave compare (keep B)
        </button>
        <button
          type="button"
          className="secondary small"
          onClick={() => store.getState().stopCompare('a')}
        >
          Keep A
        </button>
      </div>
    );
  return (
    <div className="compare-bar" role="group" aria-label="Compare">
      <select
        aria-label="Compare"
        value=""
        onChange={(event) => {
          if (event.target.value)
            store
              .getState()
              .startCompare(event.target.value as (typeof COMPARE_PAIRS)[number]['pair']);
        }}
      >
        <option value="">Compare…</option>
        {COMPARE_PAIRS.map(({ pair, label }) => (
          <option key={pair} value={pair}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** One line saying what a side runs (kernel, memmap_on_memory, strategy), from the engine. */
export function SideCaption({ side }: { side: 'a' | 'b' }) {
  const result = useApp((s) => (side === 'b' ? s.sim.b?.result : s.sim.result) ?? null);
  const normalized = useApp((s) => (side === 'b' ? s.sim.b?.normalized : s.sim.normalized) ?? null);
  const catalog = useApp((s) => s.catalog);
  if (!result || !normalized) return <p className="side-caption">{side.toUpperCase()}</p>;
  const strategy = catalog?.strategies.find((s) => s.kind === result.resolved.strategy.kind);
  const parts = [
    `Linux ${result.resolved.kernelVersion}${result.resolved.era.startsWith('RFC') ? ` (${result.resolved.era})` : ''}`,
    result.resolved.arch,
    `memmap_on_memory ${normalized.kernel.memmapOnMemory}`,
    ...(normalized.kernel.movableNode ? ['movable_node'] : []),
    ...(strategy && strategy.kind !== 'kernel' ? [strategy.label] : []),
  ];
  return (
    <p className="side-caption" data-side={side}>
      <strong>{side.toUpperCase()}</strong> {parts.join(' · ')}
    </p>
  );
}
