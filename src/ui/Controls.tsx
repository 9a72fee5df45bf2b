/**
 * The scenario's knobs. Each control edits the scenario through the store (B in compare mode);
 * the engine decides what it means. What each select offers comes from the worker's catalog, a
 * knob that changes nothing for the chosen kernel and arch is disabled with the engine's reason
 * beside it, and a value the scenario leaves out shows the engine's default.
 */
import { useId, type ReactNode } from 'react';
import type { ControlHints } from '../engine/kernel/controls.ts';
import { firstAddIndex, type AppState } from '../state/store.ts';
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import { formatBytes } from '../engine/units.ts';
import { asksGigantic, editedNormalized, editedResult, editedScenario } from './edited.ts';
import { SizeInput } from './SizeInput.tsx';
import { useApp, useAppLater, useAppStoreApi } from './store-context.tsx';

type Kernel = NonNullable<ScenarioInput['kernel']>;

/** A checkbox with the reason it is disabled beside it. */
function Check(props: {
  id: string;
  label: ReactNode;
  checked: boolean;
  disabled?: string | null | false;
  indent?: boolean;
  onChange: (checked: boolean) => void;
}) {
  const reason = props.disabled || null;
  return (
    <>
      <div className={props.indent ? 'check indent' : 'check'}>
        <input
          type="checkbox"
          id={props.id}
          checked={props.checked}
          disabled={reason !== null}
          aria-describedby={reason ? `${props.id}-why` : undefined}
          onChange={(event) => props.onChange(event.target.checked)}
        />
        <label htmlFor={props.id}>{props.label}</label>
      </div>
      {reason && (
        <p className="hint disabled-why" id={`${props.id}-why`}>
          {reason}
        </p>
      )}
    </>
  );
}

function Select(props: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  disabled?: string | null;
  onChange: (value: string) => void;
  children?: ReactNode;
}) {
  const id = useId();
  const reason = props.disabled ?? null;
  const known = props.options.some((option) => option.value === props.value);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        disabled={reason !== null}
        aria-describedby={reason ? `${id}-why` : undefined}
        onChange={(event) => props.onChange(event.target.value)}
      >
        {!known && <option value={props.value}>{props.value || '…'}</option>}
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {reason && (
        <p className="hint disabled-why" id={`${id}-why`}>
          {reason}
        </p>
      )}
      {props.children}
    </div>
  );
}

type Parameter = NonNullable<NonNullable<AppState['catalog']>['strategies'][number]['parameter']>;

/** The one field bigger-blocks or group needs, offered as the catalog lists it. */
function StrategyParameter(props: {
  parameter: Parameter;
  value: unknown;
  onChange: (value: string | number) => void;
}) {
  const id = useId();
  const { parameter } = props;
  const options: (string | number)[] = parameter.options;
  const value = props.value ?? parameter.start;
  return (
    <div className="field indent">
      <label htmlFor={id}>{parameter.label}</label>
      <select
        id={id}
        value={String(value)}
        onChange={(event) =>
          props.onChange(
            parameter.field === 'groupBlocks' ? Number(event.target.value) : event.target.value,
          )
        }
      >
        {!options.map(String).includes(String(value)) && (
          <option value={String(value)}>{String(value)}</option>
        )}
        {options.map((option) => (
          <option key={option} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Controls() {
  const scenario = useApp(editedScenario);
  const result = useAppLater(editedResult);
  const normalized = useAppLater(editedNormalized);
  const catalog = useAppLater((s) => s.catalog);
  const comparing = useApp((s) => s.compare !== null);
  const badgesView = useApp((s) => s.view.gigantic);
  const api = useAppStoreApi();
  const act = () => api.getState();
  const ids = { mom: useId(), force: useId(), movable: useId(), hvo: useId(), badges: useId() };

  const hints: Partial<ControlHints> = result?.resolved.controls ?? {};
  // A field the scenario leaves out reads as the engine filled it in.
  const kernel: Partial<Kernel> = { ...normalized?.kernel, ...scenario.kernel };
  const mode = kernel.memmapOnMemory ?? 'off';
  const kernelValue =
    scenario.kernelVersion ??
    (scenario.era === 'RFC1' || scenario.era === 'RFC2'
      ? scenario.era
      : (result?.resolved.kernelVersion ?? ''));
  const strategy = kernel.strategy?.kind ?? result?.resolved.strategy.kind ?? 'kernel';
  const strategyInfo = catalog?.strategies.find((s) => s.kind === strategy);
  const arch = scenario.arch ?? result?.resolved.arch ?? '';
  const archInfo = catalog?.arches.find((a) => a.id === arch);
  const blockSize = String(scenario.machine?.blockSize ?? 'auto');
  const blockOptions = [
    {
      value: 'auto',
      label: `auto (the kernel decides${result ? `: ${formatBytes(result.resolved.blockSize)}` : ''})`,
    },
    ...(catalog?.blockSizes ?? [])
      .filter((bytes) => !archInfo || bytes >= archInfo.sectionSize)
      .map((bytes) => {
        const text = formatBytes(bytes).replace(/ ([KMGT])iB$/, '$1');
        return { value: text, label: formatBytes(bytes) };
      }),
  ];
  const addIndex = firstAddIndex(scenario);
  const add = addIndex >= 0 ? scenario.events?.[addIndex] : undefined;
  const addSize = add && add.op === 'add' ? String(add.size) : '';
  // The node shown is the one the engine resolved for the add (a DIMM without a node lands on
  // the node whose hotpluggable range holds it).
  const addStep = result?.steps.find((step) => step.event === addIndex);
  const addNode = add && add.op === 'add' ? (add.node ?? addStep?.resolvedNode ?? '') : '';
  const nodeIds = (normalized?.machine.nodes ?? scenario.machine?.nodes ?? []).map((n) => n.id);
  const gigantic = result ? formatBytes(result.resolved.giganticPageSize) : 'gigantic';
  const hasRequest = asksGigantic(result);

  return (
    <div className="controls-form" data-editing={comparing ? 'b' : 'a'}>
      {comparing && (
        <p className="editing-b" role="note">
          Compare mode: these controls edit <strong>B</strong>.
        </p>
      )}
      <fieldset>
        <legend>Kernel</legend>
        <Select
          label="Kernel"
          value={kernelValue}
          options={(catalog?.kernels ?? []).map(({ value, label }) => ({ value, label }))}
          onChange={(value) => act().setKernelChoice(value)}
        />
        <Select
          label="Strategy"
          value={strategy}
          options={(catalog?.strategies ?? []).map((s) => ({
            value: s.kind,
            label: s.hypothetical ? `${s.label} (what-if)` : s.label,
          }))}
          onChange={(kind) => {
            const chosen = catalog?.strategies.find((s) => s.kind === kind);
            const parameter = chosen?.parameter;
            act().setKernel({
              strategy: {
                kind: kind as NonNullable<Kernel['strategy']>['kind'],
                ...(parameter ? { [parameter.field]: parameter.start } : {}),
              },
            });
          }}
        >
          {strategyInfo?.parameter && (
            <StrategyParameter
              parameter={strategyInfo.parameter}
              value={
                (kernel.strategy as Record<string, unknown> | undefined)?.[
                  strategyInfo.parameter.field
                ]
              }
              onChange={(value) =>
                act().setKernel({
                  strategy: {
                    kind: strategy,
                    [strategyInfo.parameter!.field]: value,
                  } as NonNullable<Kernel['strategy']>,
                })
              }
            />
          )}
          {strategyInfo && (
            <p className="hint strategy-info" data-testid="strategy-info">
              {strategyInfo.does}{' '}
              <span className="muted">Proposed by {strategyInfo.proposedBy}.</span>
              {strategyInfo.hypothetical && <strong> No kernel implements it.</strong>}
            </p>
          )}
        </Select>
        <Check
          id={ids.mom}
          label="memmap on memory (altmap)"
          checked={mode !== 'off'}
          disabled={hints.memmapOnMemory}
          onChange={(on) => act().setKernel({ memmapOnMemory: on ? 'on' : 'off' })}
        />
        <Check
          id={ids.force}
          indent
          label="force (pad to pageblocks)"
          checked={mode === 'force'}
          disabled={
            hints.memmapOnMemory ? false : mode === 'off' ? 'needs memmap on memory' : hints.force
          }
          onChange={(on) => act().setKernel({ memmapOnMemory: on ? 'force' : 'on' })}
        />
        <Check
          id={ids.movable}
          label="movable_node"
          checked={Boolean(kernel.movableNode)}
          onChange={(on) => act().setKernel({ movableNode: on })}
        />
        <Check
          id={ids.hvo}
          label="hugetlb_free_vmemmap (HVO)"
          checked={Boolean(kernel.hvo)}
          disabled={hints.hvo}
          onChange={(on) => act().setKernel({ hvo: on })}
        />
        <Select
          label="Online policy"
          value={kernel.onlinePolicy ?? ''}
          options={catalog?.onlinePolicies ?? []}
          disabled={hints.onlinePolicy ?? null}
          onChange={(value) => act().setKernel({ onlinePolicy: value as Kernel['onlinePolicy'] })}
        />
        <Select
          label="Auto-online"
          value={kernel.autoOnline ?? ''}
          options={catalog?.autoOnline ?? []}
          onChange={(value) => act().setKernel({ autoOnline: value as Kernel['autoOnline'] })}
        />
      </fieldset>
      <fieldset>
        <legend>Machine</legend>
        <Select
          label="Architecture"
          value={arch}
          options={(catalog?.arches ?? []).map((a) => ({ value: a.id, label: a.label }))}
          onChange={(value) => act().setArch(value as NonNullable<ScenarioInput['arch']>)}
        />
        <Select
          label="Memory block size"
          value={blockSize}
          options={blockOptions}
          onChange={(value) => act().setMachine({ blockSize: value })}
        />
      </fieldset>
      <fieldset>
        <legend>Hot-add{addIndex >= 0 ? ` (event ${addIndex + 1})` : ''}</legend>
        <SizeInput
          key={addSize}
          label="Hot-add size"
          value={addSize}
          onCommit={(size) => act().setFirstAdd({ size })}
        />
        <Select
          label="Hot-add node"
          value={String(addNode)}
          options={nodeIds.map((id) => ({ value: String(id), label: `node ${id}` }))}
          onChange={(value) => act().setFirstAdd({ node: Number(value) })}
        />
      </fieldset>
      <fieldset>
        <legend>Show</legend>
        <Check
          id={ids.badges}
          label={`${gigantic} page badges`}
          checked={badgesView ?? hasRequest}
          onChange={(on) => act().setView({ gigantic: on })}
        />
        {badgesView === null && (
          <p className="hint">
            {hasRequest
              ? 'On: the scenario asks for gigantic pages.'
              : 'Off: the scenario asks for no gigantic pages.'}
          </p>
        )}
      </fieldset>
    </div>
  );
}
