/**
 * The scenario's knobs. Each control edits the scenario through the store; the engine decides
 * what it means. Sizes are typed like the kernel takes them ("16G"); a value that is not a size
 * is reported beside the field and the scenario keeps its last good value.
 */
import { useId, useState } from 'react';
import { ARCHES, ARCH_IDS, ERAS, type ArchId, type Era } from '../engine/arch.ts';
import { parseSize } from '../engine/units.ts';
import {
  firstAddIndex,
  memmapMode,
  setFirstAdd,
  setKernel,
  setMachine,
  setTop,
} from '../state/scenario-edit.ts';
import { useApp } from './store-context.tsx';

export const ERA_OPTIONS: Record<Era, string> = {
  LEGACY: 'Before 5.13 (memmap in RAM)',
  RFC1: '2017 RFC v1',
  RFC2: '2017 RFC v2',
  U1: 'Linux 5.13–6.5',
  U2: 'Linux 6.6–6.7',
  U3: 'Linux 6.8+',
};

const BLOCK_SIZES = ['auto', '128M', '256M', '512M', '1G', '2G'];

function SizeInput({
  label,
  value,
  onCommit,
}: {
  label: string;
  value: string;
  onCommit: (bytes: string) => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? value;
  const bad = draft !== null && parseSize(draft) === null;
  const commit = () => {
    if (draft === null) return;
    if (!bad && draft.trim()) onCommit(draft.trim());
    if (!bad) setDraft(null);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={text}
        inputMode="text"
        spellCheck={false}
        aria-invalid={bad}
        aria-describedby={bad ? `${id}-error` : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
          if (event.key === 'Escape') setDraft(null);
        }}
      />
      {bad && (
        <span id={`${id}-error`} className="field-error" role="status">
          “{draft}” is not a size (try 4G, 512M or 0x100000000)
        </span>
      )}
    </div>
  );
}

export function Controls() {
  const scenario = useApp((s) => s.scenario);
  const edit = useApp((s) => s.edit);
  const showWindows = useApp((s) => s.view.gigantic);
  const setView = useApp((s) => s.setView);
  const ids = {
    era: useId(),
    arch: useId(),
    block: useId(),
    policy: useId(),
    auto: useId(),
    node: useId(),
  };
  const mode = memmapMode(scenario);
  const era = (scenario.era ?? 'U3') as Era;
  const arch = (scenario.arch ?? 'x86_64') as ArchId;
  const rfc = era === 'RFC1' || era === 'RFC2';
  const addIndex = firstAddIndex(scenario);
  const add = addIndex >= 0 ? scenario.events?.[addIndex] : undefined;
  const addSize = add && add.op === 'add' ? String(add.size) : '';
  const addNode = add && add.op === 'add' ? (add.node ?? 0) : 0;
  const nodeIds = (scenario.machine?.nodes ?? [{ id: 0 }]).map((node) => node.id);
  const blockSize = String(scenario.machine?.blockSize ?? 'auto');
  const sectionBytes = 2 ** ARCHES[arch].sectionBits;

  return (
    <div className="controls-form">
      <fieldset>
        <legend>Kernel</legend>
        <div className="field">
          <label htmlFor={ids.era}>Kernel era</label>
          <select
            id={ids.era}
            value={era}
            onChange={(event) => edit((s) => setTop(s, { era: event.target.value as Era }))}
          >
            {ERAS.map((value) => (
              <option key={value} value={value}>
                {ERA_OPTIONS[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="check">
          <input
            type="checkbox"
            id="ctl-mom"
            checked={mode !== 'off'}
            onChange={(event) =>
              edit((s) =>
                setKernel(s, {
                  memmapOnMemory: event.target.checked
                    ? mode === 'force'
                      ? 'force'
                      : 'on'
                    : 'off',
                }),
              )
            }
          />
          <label htmlFor="ctl-mom">memmap on memory (altmap)</label>
        </div>
        <div className="check indent">
          <input
            type="checkbox"
            id="ctl-force"
            checked={mode === 'force'}
            disabled={mode === 'off'}
            onChange={(event) =>
              edit((s) => setKernel(s, { memmapOnMemory: event.target.checked ? 'force' : 'on' }))
            }
          />
          <label htmlFor="ctl-force">force (pad to pageblocks)</label>
        </div>
        {rfc && (
          <p className="hint">
            The 2017 RFC always puts the memmap in the added range; the parameter did not exist.
          </p>
        )}
        <div className="check">
          <input
            type="checkbox"
            id="ctl-movable"
            checked={Boolean(scenario.kernel?.movableNode)}
            onChange={(event) => edit((s) => setKernel(s, { movableNode: event.target.checked }))}
          />
          <label htmlFor="ctl-movable">movable_node</label>
        </div>
        <div className="field">
          <label htmlFor={ids.policy}>Online policy</label>
          <select
            id={ids.policy}
            value={scenario.kernel?.onlinePolicy ?? 'contig-zones'}
            onChange={(event) =>
              edit((s) =>
                setKernel(s, {
                  onlinePolicy: event.target.value as 'contig-zones' | 'auto-movable',
                }),
              )
            }
          >
            <option value="contig-zones">contig-zones (default)</option>
            <option value="auto-movable">auto-movable (ratio 301%)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.auto}>Auto-online</label>
          <select
            id={ids.auto}
            value={scenario.kernel?.autoOnline ?? 'offline'}
            onChange={(event) =>
              edit((s) =>
                setKernel(s, {
                  autoOnline: event.target.value as
                    'offline' | 'online' | 'online_kernel' | 'online_movable',
                }),
              )
            }
          >
            <option value="offline">offline (udev onlines)</option>
            <option value="online">online</option>
            <option value="online_kernel">online_kernel</option>
            <option value="online_movable">online_movable</option>
          </select>
        </div>
      </fieldset>
      <fieldset>
        <legend>Machine</legend>
        <div className="field">
          <label htmlFor={ids.arch}>Architecture</label>
          <select
            id={ids.arch}
            value={arch}
            onChange={(event) => edit((s) => setTop(s, { arch: event.target.value as ArchId }))}
          >
            {ARCH_IDS.map((value) => (
              <option key={value} value={value}>
                {ARCHES[value].label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.block}>Memory block size</label>
          <select
            id={ids.block}
            value={blockSize}
            onChange={(event) => edit((s) => setMachine(s, { blockSize: event.target.value }))}
          >
            {BLOCK_SIZES.filter(
              (value) =>
                value === 'auto' || value === blockSize || (parseSize(value) ?? 0) >= sectionBytes,
            ).map((value) => (
              <option key={value} value={value}>
                {value === 'auto' ? 'auto (the kernel decides)' : value}
              </option>
            ))}
            {!BLOCK_SIZES.includes(blockSize) && <option value={blockSize}>{blockSize}</option>}
          </select>
        </div>
      </fieldset>
      <fieldset>
        <legend>Hot-add{addIndex >= 0 ? ` (event ${addIndex + 1})` : ''}</legend>
        <SizeInput
          key={addSize}
          label="Hot-add size"
          value={addSize}
          onCommit={(size) => edit((s) => setFirstAdd(s, { size }))}
        />
        <div className="field">
          <label htmlFor={ids.node}>Hot-add node</label>
          <select
            id={ids.node}
            value={addNode}
            onChange={(event) => edit((s) => setFirstAdd(s, { node: Number(event.target.value) }))}
          >
            {nodeIds.map((id) => (
              <option key={id} value={id}>
                node {id}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      <fieldset>
        <legend>Show</legend>
        <div className="check">
          <input
            type="checkbox"
            id="ctl-gigantic"
            checked={showWindows}
            onChange={(event) => setView({ gigantic: event.target.checked })}
          />
          <label htmlFor="ctl-gigantic">1 GiB gigantic pages</label>
        </div>
      </fieldset>
    </div>
  );
}
