/**
 * What the kernel would print at the current step, in its own formats: lsmem, /proc/meminfo,
 * /proc/zoneinfo, /proc/iomem, /sys/devices/system/memory and dmesg, one tab each, with Copy.
 * The engine writes the text (engine/views); the panel only asks for it while it is open.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ViewFormat } from '../engine/views/index.ts';
import { editedResult } from './edited.ts';
import { copyText } from './clipboard.tsx';
import { useAppLater, useAppStoreApi } from './store-context.tsx';

export function KernelViews() {
  const store = useAppStoreApi();
  const catalog = useAppLater((s) => s.catalog);
  const result = useAppLater(editedResult);
  const at = useAppLater((s) => s.sim.at);
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<ViewFormat>('lsmem');
  const [status, setStatus] = useState('');
  const base = useId();
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    store.getState().setViewsWanted(open);
    return () => store.getState().setViewsWanted(false);
  }, [open, store]);

  const formats = catalog?.views ?? [];
  const view = result?.views?.[tab];
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const next =
      event.key === 'ArrowRight'
        ? index + 1
        : event.key === 'ArrowLeft'
          ? index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? formats.length - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    const wrapped = (next + formats.length) % formats.length;
    setTab(formats[wrapped]!.format);
    tabs.current[wrapped]?.focus();
  };

  return (
    <details
      className="kernel-views"
      onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}
    >
      <summary>Kernel views: what the kernel would print at step {at}</summary>
      <div role="tablist" aria-label="Kernel views" className="tabs">
        {formats.map(({ format, tab: name }, index) => (
          <button
            key={format}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`${base}-${format}`}
            aria-selected={tab === format}
            aria-controls={`${base}-panel`}
            tabIndex={tab === format ? 0 : -1}
            onClick={() => setTab(format)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {name}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${base}-panel`}
        aria-labelledby={`${base}-${tab}`}
        className="view-panel"
        data-format={tab}
      >
        {!view ? (
          <p className="muted">{open ? 'Asking the engine…' : ''}</p>
        ) : (
          <>
            <div className="view-head">
              <code className="view-command">$ {view.command}</code>
              <button
                type="button"
                className="secondary small"
                onClick={() =>
                  void copyText(view.text).then((ok) =>
                    setStatus(ok ? `Copied ${view.command}` : 'Copy failed: select the text'),
                  )
                }
              >
                Copy
              </button>
              <span role="status" className="muted">
                {status}
              </span>
            </div>
            <pre className="view-text" data-testid="kernel-view" tabIndex={0}>
              {view.text || '(no output)'}
            </pre>
            {view.variants?.map((variant) => (
              <div key={variant.command}>
                <code className="view-command">$ {variant.command}</code>
                <pre className="view-text">{variant.text}</pre>
              </div>
            ))}
            {view.notes && view.notes.length > 0 && (
              <ul className="view-notes">
                {view.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </details>
  );
}
