/**
 * "Reproduce in QEMU": the scenario as a self-contained shell script that boots a real kernel
 * under QEMU, performs each event and compares the kernel's figures with the engine's after every
 * step (src/qemu, made in the worker). A scenario QEMU cannot run says why, event by event.
 */
import { useEffect, useState } from 'react';
import type { Reproduction } from '../qemu/reproduce.ts';
import { download, fileName } from './grid/export.ts';
import { editedScenario } from './edited.ts';
import { copyText } from './clipboard.tsx';
import { useApp, useAppStoreApi } from './store-context.tsx';

export function QemuPanel() {
  const store = useAppStoreApi();
  const scenario = useApp(editedScenario);
  const [open, setOpen] = useState(false);
  const [reproduction, setReproduction] = useState<Reproduction | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    if (!open) return;
    let current = true;
    setReproduction(null);
    store
      .getState()
      .reproduce()
      .then(
        (answer) => current && setReproduction(answer),
        (error: unknown) =>
          current && setReproduction({ ok: false, reasons: [String((error as Error).message)] }),
      );
    return () => {
      current = false;
    };
  }, [open, scenario, store]);

  const name = fileName(scenario.title, '.qemu.sh');
  return (
    <details
      className="qemu-panel"
      onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}
    >
      <summary>Reproduce in QEMU</summary>
      {!reproduction ? (
        <p className="muted">{open ? 'Writing the script…' : ''}</p>
      ) : reproduction.ok ? (
        <>
          <p className="hint">
            Run it with <code>bash {name}</code> on a Debian or Ubuntu machine: it fetches a Debian
            kernel (or boots <code>$KERNEL</code>), boots it under QEMU with this scenario&apos;s
            NUMA layout and command line, performs each event and prints the kernel&apos;s figures
            beside the engine&apos;s after every step. It exits 0 when they agree.
          </p>
          <div className="view-head">
            <button
              type="button"
              className="secondary small"
              onClick={() =>
                void copyText(reproduction.script).then((ok) =>
                  setStatus(ok ? 'Script copied' : 'Copy failed: use Download'),
                )
              }
            >
              Copy
            </button>
            <button
              type="button"
              className="secondary small"
              onClick={() => {
                download(name, reproduction.script, 'text/x-shellscript');
                setStatus(`Saved ${name}`);
              }}
            >
              Download
            </button>
            <span role="status" className="muted">
              {status}
            </span>
          </div>
          <pre className="view-text qemu-script" data-testid="qemu-script" tabIndex={0}>
            {reproduction.script}
          </pre>
        </>
      ) : (
        <>
          <p>QEMU cannot run this scenario:</p>
          <ul className="qemu-reasons" data-testid="qemu-reasons">
            {reproduction.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </>
      )}
    </details>
  );
}
