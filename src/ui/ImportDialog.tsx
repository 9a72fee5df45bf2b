/**
 * "Import a machine": paste or open what a real machine prints (lsmem, /proc/iomem,
 * /proc/zoneinfo, numactl -H, a listing of /sys/devices/system/memory); the worker's importer
 * detects each format, combines the parts into a scenario and names every line it could not
 * read. The scenario opens only when asked, so nothing on screen is lost, and the pastes stay in
 * the dialog until it is cleared.
 */
import { useRef, useState } from 'react';
import type { ImportResult } from '../import/index.ts';
import { useAppStoreApi } from './store-context.tsx';

interface Paste {
  id: number;
  source: string;
  text: string;
}

const problemText = (problem: ImportResult['problems'][number]) =>
  [problem.source, problem.line === undefined ? undefined : `line ${problem.line}`, problem.message]
    .filter((part) => part !== undefined)
    .join(': ');

export function ImportDialog() {
  const store = useAppStoreApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const nextId = useRef(2);
  const [pastes, setPastes] = useState<Paste[]>([{ id: 1, source: 'paste 1', text: '' }]);
  const [answer, setAnswer] = useState<ImportResult | null>(null);
  const [status, setStatus] = useState('');

  const update = (id: number, text: string) =>
    setPastes((all) => all.map((paste) => (paste.id === id ? { ...paste, text } : paste)));
  const addPaste = (source?: string, text = '') => {
    const id = nextId.current++;
    const added = { id, source: source ?? `paste ${id}`, text };
    // A file opened into an empty dialog takes the empty paste's place.
    setPastes((all) =>
      all.length === 1 && !all[0]!.text.trim() && text ? [added] : [...all, added],
    );
  };
  const read = async () => {
    const inputs = pastes
      .filter((paste) => paste.text.trim())
      .map((paste) => ({ text: paste.text, source: paste.source }));
    setStatus('Reading…');
    try {
      const result = await store
        .getState()
        .importMachine(inputs.length ? inputs : [{ text: '', source: 'paste 1' }]);
      setAnswer(result);
      setStatus(
        result.scenario
          ? `Read ${result.parts.length} part${result.parts.length === 1 ? '' : 's'}`
          : 'Nothing could be made of this',
      );
    } catch (error) {
      setStatus(`The importer failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const open = async () => {
    if (!answer?.scenario) return;
    const errors = await store.getState().load(answer.scenario, { source: 'import' });
    if (errors.length) {
      setStatus(
        `The engine refused the imported machine: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      );
      return;
    }
    dialog.current?.close();
  };

  return (
    <>
      <button type="button" className="secondary small" onClick={() => dialog.current?.showModal()}>
        Import a machine…
      </button>
      <dialog ref={dialog} className="tool-dialog" aria-labelledby="import-title">
        <form method="dialog" className="dialog-head">
          <h2 id="import-title">Import a machine</h2>
          <button type="submit" className="secondary small" aria-label="Close">
            Close
          </button>
        </form>
        <p className="hint">
          Paste what the machine prints: <code>lsmem</code> (or{' '}
          <code>lsmem -a -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES</code>),{' '}
          <code>/proc/iomem</code>, <code>/proc/zoneinfo</code>, <code>numactl -H</code>, or{' '}
          <code>
            grep . /sys/devices/system/memory/memory*/{'{'}state,valid_zones,phys_index{'}'}
          </code>
          . Several pastes combine: lsmem gives the blocks, numactl the nodes.
        </p>
        {pastes.map((paste) => (
          <div className="field" key={paste.id}>
            <label htmlFor={`import-${paste.id}`}>{paste.source}</label>
            <textarea
              id={`import-${paste.id}`}
              rows={8}
              spellCheck={false}
              value={paste.text}
              onChange={(event) => update(paste.id, event.target.value)}
            />
          </div>
        ))}
        <div className="dialog-actions">
          <button type="button" className="secondary small" onClick={() => addPaste()}>
            Add another paste
          </button>
          <label className="file-button secondary small">
            Open files…
            <input
              type="file"
              multiple
              aria-label="Open files"
              onChange={(event) => {
                const files = [...(event.target.files ?? [])];
                void Promise.all(
                  files.map((file) => file.text().then((text) => ({ file, text }))),
                ).then((read) => read.forEach(({ file, text }) => addPaste(file.name, text)));
                event.target.value = '';
              }}
            />
          </label>
          <button type="button" onClick={() => void read()}>
            Read
          </button>
          <span role="status" className="muted">
            {status}
          </span>
        </div>
        {answer && (
          <div className="import-answer" data-testid="import-answer">
            {answer.parts.length > 0 && (
              <p>
                Found:{' '}
                {answer.parts
                  .map(
                    (part) =>
                      `${part.format} (${part.source ? `${part.source}, ` : ''}lines ${part.firstLine}–${part.lastLine})`,
                  )
                  .join(', ')}
              </p>
            )}
            {answer.problems.length > 0 && (
              <ul className="import-problems" aria-label="Lines that could not be read">
                {answer.problems.map((problem, i) => (
                  <li key={i}>{problemText(problem)}</li>
                ))}
              </ul>
            )}
            {answer.notes.length > 0 && (
              <ul className="import-notes" aria-label="What the importer assumed">
                {answer.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            )}
            {answer.scenario && (
              <>
                <pre className="view-text import-scenario" tabIndex={0}>
                  {JSON.stringify(answer.scenario, null, 2)}
                </pre>
                <button type="button" onClick={() => void open()}>
                  Open this machine
                </button>
              </>
            )}
          </div>
        )}
      </dialog>
    </>
  );
}
