/**
 * The engine's entry point: validate a scenario, boot the machine, apply each event, and read
 * the result. Nothing throws past this function: invalid input comes back as field errors and an
 * internal failure as one error that says so.
 */
import { sectionSize } from './arch.ts';
import { boot } from './model/boot.ts';
import { Machine } from './model/machine.ts';
import { addEvent } from './ops/add.ts';
import { consumeEvent } from './ops/consume.ts';
import { devicePrivateEvent } from './ops/device.ts';
import { pmemEvent } from './ops/pmem.ts';
import { daxKmemEvent } from './ops/dax-kmem.ts';
import { hugetlbEvent } from './ops/hugetlb.ts';
import { removeEvent } from './ops/remove.ts';
import { offlineEvent, onlineEvent } from './ops/state-events.ts';
import { describeChanges, type StepDraft } from './ops/step.ts';
import { finalState, summaryOf, totals } from './output/snapshot.ts';
import { RESULT_VERSION, type Result, type Step } from './result.ts';
import type { Scenario, ScenarioEvent, ValidationError } from './scenario/types.ts';
import { validateScenario } from './scenario/validate.ts';
import { ENGINE_VERSION } from './version.ts';
import { controlHints } from './kernel/controls.ts';
import { versionText } from './kernel/versions.ts';
import { kernelViews } from './views/index.ts';
import { isHypothetical, strategyOf } from './strategy/kinds.ts';

export interface SimulateOptions {
  /** Apply only the first `upTo` events. */
  upTo?: number;
  /**
   * Take `final` after this many events while still computing every step: the step-through
   * shows the machine at one step beside the whole timeline, from one run.
   */
  finalAt?: number;
  /** Also read the kernel views (views/index.ts) of the machine where `final` is taken. */
  views?: boolean;
  /** Also give the Summary one step before `final` (what the step changed). */
  previous?: boolean;
}

export type SimulateOutcome =
  | { ok: true; result: Result; scenario: Scenario }
  | { ok: false; kind: 'invalid' | 'internal'; errors: ValidationError[] };

function applyEvent(machine: Machine, event: ScenarioEvent, index: number): StepDraft {
  switch (event.op) {
    case 'add':
      return addEvent(machine, event, index);
    case 'online':
      return onlineEvent(machine, event, index);
    case 'offline':
      return offlineEvent(machine, event, index);
    case 'remove':
      return removeEvent(machine, event);
    case 'hugetlb':
      return hugetlbEvent(machine, event, index);
    case 'consume':
      return consumeEvent(machine, event, index);
    case 'pmem':
      return pmemEvent(machine, event, index);
    case 'device-private':
      return devicePrivateEvent(machine, event, index);
    case 'dax-kmem':
      return daxKmemEvent(machine, event, index);
  }
}

function toStep(
  machine: Machine,
  draft: StepDraft,
  index: number,
  event: ScenarioEvent | null,
): Step {
  const t = totals(machine);
  // Built field by field (no spreads): thousands of steps, and V8's spread path is slow.
  const step: Step = {
    event: index,
    op: event ? event.op : 'boot',
    ok: draft.ok,
    memTotal: t.memTotal,
    memFree: t.memFree,
    nodes: t.nodes,
    zones: t.zones,
    narrative: draft.narrative,
    log: draft.log,
    blocksChanged: draft.blocksChanged,
    zonesChosen: [...draft.zonesChosen],
  };
  if (event?.label) step.label = event.label;
  const changed = describeChanges(draft.changes);
  if (changed) step.narrative = [...step.narrative, `Blocks that changed: ${changed}`];
  if (draft.resolved) {
    step.resolvedStart = draft.resolved.start;
    step.resolvedSize = draft.resolved.size;
    step.resolvedNode = draft.resolved.node;
  }
  if (!draft.ok) step.error = draft.errors.join('; ');
  const add = draft.add;
  if (add) {
    step.blocksAdded = add.blocksAdded;
    step.memmapBytes = add.memmapBytes;
    step.memmapFromRamBytes = add.memmapFromRamBytes;
    step.memmapFromRamByNode = add.memmapFromRamByNode;
    step.memmapSelfHostedBytes = add.memmapSelfHostedBytes;
    step.memmapWastedBytes = add.memmapWastedBytes;
    if (add.pageTablesBytes > 0) step.pageTablesBytes = add.pageTablesBytes;
    step.placement = add.placement;
  }
  const huge = draft.hugetlb;
  if (huge) {
    step.pageSize = huge.pageSize;
    step.node = huge.node;
    step.requested = huge.requested;
    step.allocated = huge.allocated;
    if (huge.limitedBy) step.limitedBy = huge.limitedBy;
  }
  return step;
}

export function runScenario(scenario: Scenario, options: SimulateOptions = {}): Result {
  const machine = new Machine(scenario);
  const bootReport = boot(machine);
  const spec = machine.spec;
  const steps: Step[] = [
    toStep(
      machine,
      {
        ok: true,
        errors: [],
        narrative: bootReport.narrative,
        log: bootReport.log,
        blocksChanged: 0,
        zonesChosen: new Set(),
        changes: [],
      },
      -1,
      null,
    ),
  ];
  const count = Math.min(scenario.events.length, options.upTo ?? scenario.events.length);
  const finalAt = Math.max(0, Math.min(count, options.finalAt ?? count));
  let final = finalAt === 0 ? finalState(machine) : null;
  // The Summary one step before the one shown: boot's when the first event is shown.
  let previousSummary = options.previous && finalAt === 1 ? summaryOf(machine) : undefined;
  let views = finalAt === 0 && options.views ? kernelViews(machine, { steps }) : undefined;
  for (let index = 0; index < count; index++) {
    const event = scenario.events[index]!;
    machine.currentEvent = index;
    steps.push(toStep(machine, applyEvent(machine, event, index), index, event));
    if (index + 2 === finalAt && options.previous) previousSummary = summaryOf(machine);
    if (index + 1 === finalAt) {
      final = finalState(machine);
      if (options.views) views = kernelViews(machine, { steps });
    }
  }
  return {
    version: RESULT_VERSION,
    engine: ENGINE_VERSION,
    resolved: {
      arch: scenario.arch,
      era: scenario.era,
      pageSize: spec.pageSize,
      sectionSize: sectionSize(spec),
      blockSize: machine.toBytes(machine.blockPages),
      pageblockSize: spec.pageblockSize,
      pmdSize: spec.pmdSize,
      structPageSize: machine.structPageSize,
      maxPhysBits: spec.maxPhysBits,
      hugePageSizes: [...spec.hugePageSizes],
      blockSizeReason: machine.blockSizeReason,
      vmemmapBase: spec.vmemmapBase,
      kernelVersion: versionText(machine.version),
      giganticPageSize: Math.max(...spec.hugePageSizes),
      controls: controlHints(machine),
      strategy: strategyOf(scenario),
      hypothetical: isHypothetical(strategyOf(scenario)),
    },
    steps,
    final: final ?? finalState(machine),
    ...(views ? { views } : {}),
    ...(previousSummary ? { previousSummary } : {}),
  };
}

export function simulate(input: unknown, options: SimulateOptions = {}): SimulateOutcome {
  const validation = validateScenario(input);
  if (!validation.ok) return { ok: false, kind: 'invalid', errors: validation.errors };
  try {
    return {
      ok: true,
      result: runScenario(validation.scenario, options),
      scenario: validation.scenario,
    };
  } catch (error) {
    return {
      ok: false,
      kind: 'internal',
      errors: [
        {
          path: '(engine)',
          message: `internal error, please report it with this scenario: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
}
