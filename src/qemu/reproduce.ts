/**
 * A scenario and the engine's result for it, as a bash script that runs the same events on a
 * real kernel in QEMU and checks each step's change against the engine's figures.
 *
 * Strategy: first every reason QEMU cannot run the scenario (support.ts: arch, era, event kinds;
 * machine.ts: the boot RAM layout and the device window; devices.ts: where each device goes), all
 * collected so the user sees them at once. Then the script's generated parts: QEMU's options, the
 * kernel command line, the QMP action of each event, the engine's figures (figures.ts) and the
 * guest's /init (guest.ts), set into the fixed machinery of host.ts.
 */
import { x86BlockSize } from '../engine/arch.ts';
import type { Result } from '../engine/result.ts';
import type { Scenario } from '../engine/scenario/types.ts';
import { formatBytes, GiB, hex, KiB, MiB } from '../engine/units.ts';
import { ENGINE_VERSION } from '../engine/version.ts';
import { planDevices, type ColdDevice, type PlannedEvent } from './devices.ts';
import { engineFigures } from './figures.ts';
import { guestInit, hostActionId } from './guest.ts';
import { hostScript, type HostAction } from './host.ts';
import { deviceWindow, ramLayout, type DeviceWindow, type RamLayout } from './machine.ts';
import { commentText, qmpCommand } from './shell.ts';
import { kernelFor, scenarioReasons, type KernelChoice } from './support.ts';

export type Reproduction = { ok: true; script: string } | { ok: false; reasons: string[] };

/** A size as QEMU's options take it: 4G, 512M. */
export function qemuSize(bytes: number): string {
  for (const [unit, scale] of [
    ['G', GiB],
    ['M', MiB],
    ['K', KiB],
  ] as const)
    if (bytes % scale === 0) return `${bytes / scale}${unit}`;
  return `${bytes}B`;
}

/** The kernel command line: the recordings' base, then the scenario's knobs. */
export function kernelCmdline(scenario: Scenario): string[] {
  const k = scenario.kernel;
  // Strategy "ram" is what memmap_on_memory=0 does; hypothetical strategies never get here
  // (support.ts refuses them).
  const memmapOnMemory =
    k.strategy?.kind === 'ram' ? '0' : { off: '0', on: '1', force: 'force' }[k.memmapOnMemory];
  return [
    'console=ttyS0',
    'quiet',
    'init_on_alloc=0',
    'log_buf_len=4M',
    // QEMU's TCG CPU offers 5-level paging; an x86_64 scenario is a 4-level machine.
    ...(scenario.arch === 'x86_64' ? ['no5lvl'] : []),
    ...(k.movableNode ? ['movable_node'] : []),
    `memory_hotplug.memmap_on_memory=${memmapOnMemory}`,
    `memhp_default_state=${k.autoOnline}`,
    `memory_hotplug.online_policy=${k.onlinePolicy}`,
    ...(k.hvo ? ['hugetlb_free_vmemmap=on'] : []),
  ];
}

function coldDeviceArgs(device: ColdDevice): string[] {
  const memdev = `mem-${device.id}`;
  const backend = `memory-backend-ram,id=${memdev},size=${qemuSize(device.size)},reserve=off`;
  const where = `node=${device.node},${device.kind === 'nvdimm' ? 'addr' : 'memaddr'}=${hex(device.start)}`;
  const driver =
    device.kind === 'nvdimm'
      ? `nvdimm,id=${device.id},memdev=${memdev},${where}`
      : `virtio-mem-pci,id=${device.id},memdev=${memdev},${where},requested-size=0`;
  return ['-object', backend, '-device', driver];
}

export function qemuArgs(
  scenario: Scenario,
  layout: RamLayout,
  window: DeviceWindow,
  cold: ColdDevice[],
): string[][] {
  const machine = [
    'pc',
    ...(cold.some((device) => device.kind === 'nvdimm') ? ['nvdimm=on'] : []),
    ...(layout.maxRamBelow4g === null
      ? []
      : [`max-ram-below-4g=${qemuSize(layout.maxRamBelow4g)}`]),
  ].join(',');
  const args: string[][] = [
    ['-machine', machine],
    // Linux reads the CPUID hypervisor bit for its block size rule (x86BlockSize).
    ['-cpu', scenario.machine.virtual ? 'max' : 'max,hypervisor=off'],
    ['-smp', '2'],
    [
      '-m',
      `${qemuSize(layout.totalBytes)},slots=${window.slots},maxmem=${qemuSize(window.maxmemBytes)}`,
    ],
  ];
  for (const node of layout.nodes) {
    if (node.ramBytes > 0)
      args.push([
        '-object',
        `memory-backend-ram,id=ram${node.id},size=${qemuSize(node.ramBytes)},reserve=off`,
      ]);
  }
  for (const node of layout.nodes) {
    const cpus = node.cpus ? ',cpus=0-1' : '';
    const memdev = node.ramBytes > 0 ? `,memdev=ram${node.id}` : '';
    args.push(['-numa', `node,nodeid=${node.id}${cpus}${memdev}`]);
  }
  for (const d of layout.distances)
    args.push(['-numa', `dist,src=${d.src},dst=${d.dst},val=${d.value}`]);
  for (const device of cold) args.push(coldDeviceArgs(device));
  return args;
}

/** The QMP half of the events that have one. */
export function hostActions(events: PlannedEvent[]): HostAction[] {
  const actions: HostAction[] = [];
  const q = (execute: string, args: Record<string, unknown>) =>
    `qmp '${qmpCommand(execute, args)}'`;
  for (const event of events) {
    const id = hostActionId(event);
    const action = event.action;
    if (!id) continue;
    const comment = `event ${event.index}: ${commentText(event.summary)}`;
    if (action.kind === 'dimm-add') {
      const memdev = `mem-${action.id}`;
      const backend = {
        'qom-type': 'memory-backend-ram',
        id: memdev,
        size: action.size,
        reserve: false,
      };
      const dimm = {
        driver: 'pc-dimm',
        id: action.id,
        memdev,
        node: action.node,
        addr: action.start,
      };
      actions.push({
        id,
        comment,
        commands: [
          q('object-add', backend),
          q('device_add', dimm),
          // The guest's _OST reports the end of its ACPI hotplug handling.
          `qmp_wait 300 '"ACPI_DEVICE_OST"' '"device": "${action.id}"'`,
        ],
      });
    } else if (action.kind === 'dimm-del') {
      actions.push({
        id,
        comment,
        commands: action.ids.flatMap((dimm) => [
          q('device_del', { id: dimm }),
          `qmp_wait 120 '"DEVICE_DELETED"' '"device": "${dimm}"'`,
          q('object-del', { id: `mem-${dimm}` }),
        ]),
      });
    } else if (action.kind === 'vmem-resize') {
      const path = `/machine/peripheral/${action.id}`;
      actions.push({
        id,
        comment,
        commands: [
          q('qom-set', { path, property: 'requested-size', value: action.requestedBytes }),
          `qmp_wait_size ${action.id} ${action.requestedBytes}`,
        ],
      });
    }
  }
  return actions;
}

function stepTitles(scenario: Scenario, events: PlannedEvent[], layout: RamLayout): string[] {
  const nodes = layout.nodes.length;
  const boot = `boot: ${formatBytes(layout.totalBytes)} of RAM on ${nodes} node${nodes > 1 ? 's' : ''}`;
  return [
    boot,
    ...events.map((event) => {
      const label = scenario.events[event.index]?.label;
      return `event ${event.index}: ${event.summary}${label ? ` ("${commentText(label)}")` : ''}`;
    }),
  ];
}

function windowNote(scenario: Scenario, window: DeviceWindow): string {
  const range = `${hex(window.windowStart)}-${hex(window.windowStart + window.windowSize - 1)}`;
  const how = `QEMU marks its device-memory window ${range} hot-pluggable for node ${window.node} in the SRAT`;
  if (window.matchesScenario) return `${how}: the scenario's hotpluggable range.`;
  const ranges = scenario.machine.hotpluggable
    .map((r) => `${hex(r.start)}+${formatBytes(r.size)} on node ${r.node}`)
    .join(', ');
  return `${how}; the scenario's hotpluggable ranges are ${ranges || 'none'}. Every event names its node, so this changes only which node the firmware names for the window.`;
}

function machineReasons(scenario: Scenario, blockBytes: number): string[] {
  const reasons: string[] = [];
  const bootRam = scenario.machine.nodes.flatMap((node) => node.ram);
  const bootEnd = bootRam.reduce((end, range) => Math.max(end, range.start + range.size), 0);
  const rule = x86BlockSize(bootEnd, scenario.machine.virtual);
  if (scenario.machine.blockSize !== 'auto' && blockBytes !== rule)
    reasons.push(
      `machine.blockSize ${formatBytes(blockBytes)}: Linux on x86 picks ${formatBytes(rule)} for this boot RAM and has no command-line switch to change it`,
    );
  const hotBoot = scenario.machine.hotpluggable.some((hot) =>
    bootRam.some((ram) => ram.start < hot.start + hot.size && hot.start < ram.start + ram.size),
  );
  if (scenario.kernel.movableNode && hotBoot)
    reasons.push(
      'movable_node with boot RAM in a hot-pluggable range: QEMU marks only its device-memory window hot-pluggable, never boot RAM',
    );
  return reasons;
}

export function reproduce(scenario: Scenario, result: Result): Reproduction {
  const reasons = scenarioReasons(scenario);
  // Past the arch, every check assumes QEMU's x86 pc machine.
  if (!scenario.arch.startsWith('x86_64')) return { ok: false, reasons };
  reasons.push(...machineReasons(scenario, result.resolved.blockSize));
  const ram = ramLayout(scenario);
  reasons.push(...ram.reasons);
  if (!ram.layout) return { ok: false, reasons };
  const layout = ram.layout;
  const devices = planDevices(scenario, result, layout.windowStart);
  reasons.push(...devices.reasons);
  const placed = deviceWindow(scenario, layout, devices.needs);
  reasons.push(...placed.reasons);
  if (reasons.length || !placed.window) return { ok: false, reasons };
  const window = placed.window;
  const kernel: KernelChoice | null = kernelFor(scenario);
  if (!kernel) return { ok: false, reasons: ['no Debian kernel for this scenario'] };
  const nvdimms = devices.cold.filter((device) => device.kind === 'nvdimm').length;
  const virtioMem = devices.cold.length - nvdimms;
  const modules = [...(nvdimms ? ['nd_pmem', 'nfit'] : []), ...(virtioMem ? ['virtio_mem'] : [])];
  const script = hostScript({
    title: commentText(scenario.title ?? 'a scenario'),
    engineVersion: ENGINE_VERSION,
    kernel,
    cmdline: kernelCmdline(scenario),
    qemuArgs: qemuArgs(scenario, layout, window, devices.cold),
    modules,
    actions: hostActions(devices.events),
    stepTitles: stepTitles(scenario, devices.events, layout),
    engineTable: engineFigures(scenario, result, kernel),
    guestInit: guestInit(devices.events, { nvdimms, virtioMem }),
    notes: [windowNote(scenario, window)],
  });
  return { ok: true, script };
}
