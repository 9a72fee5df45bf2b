/**
 * What QEMU with a Debian kernel can run, and in which words to say what it cannot.
 *
 * The checks here need only the scenario: its arch, its era (which picks the kernel), its kernel
 * knobs and the kinds of its events. Whether the machine's layout and the devices fit QEMU's
 * address map is machine.ts's and devices.ts's question.
 */
import { STRATEGY_INFO, isHypothetical, strategyOf } from '../engine/strategy/kinds.ts';
import type { Scenario, ScenarioEvent } from '../engine/scenario/types.ts';

/** A Debian kernel package series the reproducer can fetch. */
export interface KernelChoice {
  /** Human name: "Linux 6.12 (Debian bookworm)". */
  name: string;
  /** `uname -r` must start with this for the comparison to be of this era. */
  releasePrefix: string;
  /** Extended regular expression for `apt-cache search --names-only`. */
  aptPattern: string;
}

export const KERNELS: Record<'U1' | 'U3', KernelChoice> = {
  U3: {
    name: 'Linux 6.12 (Debian bookworm, linux-image-6.12.*+deb12-amd64-unsigned)',
    releasePrefix: '6.12.',
    aptPattern: '^linux-image-6\\.12\\.[0-9]+\\+deb[0-9]+-amd64-unsigned$',
  },
  U1: {
    name: 'Linux 6.1 (Debian bookworm, linux-image-6.1.0-*-amd64-unsigned)',
    releasePrefix: '6.1.',
    aptPattern: '^linux-image-6\\.1\\.0-[0-9]+-amd64-unsigned$',
  },
};

/**
 * The scenario's `kernelVersion` ("major.minor"), when it names one: it decides the era, and the
 * reproducer boots that version or none. Read loosely: the field is newer than this module.
 */
export function kernelVersionOf(scenario: Scenario): string | undefined {
  const version = (scenario as { kernelVersion?: unknown }).kernelVersion;
  return typeof version === 'string' ? version : undefined;
}

/** The kernel the reproducer boots for a scenario, or null when Debian packages none. */
export function kernelFor(scenario: Scenario): KernelChoice | null {
  const version = kernelVersionOf(scenario);
  if (version === '6.12') return KERNELS.U3;
  if (version === '6.1') return KERNELS.U1;
  if (version !== undefined) return null;
  return scenario.era === 'U1' ? KERNELS.U1 : scenario.era === 'U3' ? KERNELS.U3 : null;
}

const ERA_REASONS: Partial<Record<Scenario['era'], string>> = {
  RFC1: 'era RFC1: the 2017 RFC (v1) was never merged, so no kernel runs it',
  RFC2: 'era RFC2: the 2017 RFC (v2) was never merged, so no kernel runs it',
  LEGACY:
    'era LEGACY needs a kernel older than 5.13 (before memmap_on_memory), such as Debian 11 (bullseye) 5.10, linux-image-5.10.0-*-amd64-unsigned; the reproducer fetches only 6.1 and 6.12',
  U2: 'era U2 needs Linux 6.6 or 6.7, which Debian does not package (bookworm has 6.1 and 6.12)',
};

const ADD_VIA_REASONS: Partial<Record<string, string>> = {
  dlpar: 'DLPAR is how pseries (ppc64) adds memory; an x86 guest has no DLPAR',
  kmem: 'dax/kmem adds a devdax range that follows from an NVDIMM namespace, and the devdax stage before it is not an event, so where the NVDIMM sits cannot be derived',
  'hv-balloon':
    "Hyper-V's hot-add protocol needs QEMU 8.2's hv-balloon device (Debian 12 has QEMU 7.2)",
  'xen-balloon': 'Xen ballooning needs a Xen host',
  probe:
    "Debian's kernel is built without CONFIG_ARCH_MEMORY_PROBE, so /sys/devices/system/memory/probe does not exist",
};

function eventReason(event: ScenarioEvent): string | null {
  switch (event.op) {
    case 'add':
      return ADD_VIA_REASONS[event.via] ?? null;
    case 'device-private':
      return "device-private memory (HMM) needs a device driver that calls memremap_pages(), and Debian's kernel is built without CONFIG_DEVICE_PRIVATE";
    case 'consume':
      return 'consume models unmovable kernel allocations; a guest can only allocate user memory, which is movable and compactable, so it would not put the same pressure on the kernel';
    default:
      return null;
  }
}

/** Reasons that need only the scenario's header, kernel settings and event kinds. */
export function scenarioReasons(scenario: Scenario): string[] {
  const reasons: string[] = [];
  if (scenario.arch !== 'x86_64' && scenario.arch !== 'x86_64-5level') {
    const which = scenario.arch.startsWith('ppc64')
      ? '; pseries memory arrives through DLPAR'
      : scenario.arch === 's390x'
        ? '; s390 standby memory has no x86 counterpart'
        : '';
    reasons.push(
      `arch ${scenario.arch}: the reproducer boots x86_64 only, on QEMU's pc machine with Debian's amd64 kernels${which}`,
    );
  }
  const version = kernelVersionOf(scenario);
  if (version !== undefined && !kernelFor(scenario))
    reasons.push(
      `kernelVersion ${version}: Debian packages Linux 6.1 and 6.12 for x86_64 (bookworm), and another version's rules may differ`,
    );
  const eraReason = version === undefined ? ERA_REASONS[scenario.era] : undefined;
  if (eraReason) reasons.push(eraReason);
  if (scenario.era === 'U1' && scenario.kernel.memmapOnMemory === 'force') {
    reasons.push(
      'memmap_on_memory=force needs Linux 6.6 or later; 6.1 takes only 0 or 1 (use era U3)',
    );
  }
  const strategy = strategyOf(scenario);
  if (isHypothetical(strategy))
    reasons.push(
      `kernel.strategy ${strategy.kind}: no kernel implements it (${STRATEGY_INFO[strategy.kind].label}), so there is nothing to boot`,
    );
  if (scenario.machine.structPageSize !== 64) {
    reasons.push(
      `machine.structPageSize ${scenario.machine.structPageSize}: Debian's x86_64 kernel has a 64-byte struct page`,
    );
  }
  scenario.events.forEach((event, index) => {
    const reason = eventReason(event);
    if (!reason) return;
    const what = event.op === 'add' ? `add via ${event.via}` : event.op;
    reasons.push(`events[${index}] (${what}): ${reason}`);
  });
  return reasons;
}
