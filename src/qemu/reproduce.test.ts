import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fullStep } from '../engine/read-steps.ts';
import type { ScenarioInput } from '../engine/scenario/schema.ts';
import { arrayOf, heredocOf, reasonsOf, recorded, reproduceInput, scriptOf } from './testing.ts';

const root = resolve(import.meta.dirname, '../..');
const oracleCase = (name: string): ScenarioInput =>
  JSON.parse(readFileSync(join(root, 'test/oracle', name, 'case.json'), 'utf8')).scenario;

describe('QEMU machine', () => {
  it("is the recordings' command line for the recordings' machine", () => {
    // From shared/oracle/legacy-node0/raw.txt, `### qemu_cmd:`.
    expect(arrayOf(scriptOf(oracleCase('legacy-node0')), 'QEMU_MACHINE')).toBe(
      [
        '-machine pc',
        '  -cpu max',
        '  -smp 2',
        '  -m 2G,slots=8,maxmem=24G',
        '  -object memory-backend-ram,id=ram0,size=2G,reserve=off',
        '  -numa node,nodeid=0,cpus=0-1,memdev=ram0',
        '  -numa node,nodeid=1',
      ].join('\n'),
    );
  });

  it("marks QEMU's device window hot-pluggable as the recordings' SRAT did", () => {
    // The recorded kernel: "ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0x87fffffff] hotplug".
    expect(scriptOf(recorded())).toMatch(
      /device-memory window 0x100000000-0x87fffffff hot-pluggable for node 1 in the SRAT: the scenario's hotpluggable range/,
    );
  });

  it('shapes RAM split around the PCI hole with max-ram-below-4g, and the window after it', () => {
    const script = scriptOf({
      version: 1,
      machine: {
        nodes: [
          {
            id: 0,
            ram: [
              { start: 0, size: '2G' },
              { start: '4G', size: '2G' },
            ],
          },
        ],
      },
      events: [{ op: 'add', start: '6G', size: '16G' }],
    });
    const machine = arrayOf(script, 'QEMU_MACHINE');
    expect(machine).toMatch(/^-machine pc,max-ram-below-4g=2G$/m);
    expect(machine).toMatch(/-m 4G,slots=8,maxmem=20G/);
    expect(script).toMatch(/window 0x180000000-0x77fffffff hot-pluggable for node 0/);
  });

  it('clears the CPUID hypervisor bit for a bare-metal machine', () => {
    const machine = recorded();
    machine.machine = { ...machine.machine, virtual: false };
    expect(arrayOf(scriptOf(machine), 'QEMU_MACHINE')).toMatch(/-cpu max,hypervisor=off/);
  });

  it('gives each node its RAM and puts the vCPUs on the first node with memory', () => {
    const input = recorded({
      machine: {
        nodes: [
          { id: 0, ram: [{ start: 0, size: '1G' }], distance: { 1: 31 } },
          { id: 1, ram: [{ start: '1G', size: '1G' }] },
        ],
      },
    });
    const machine = arrayOf(scriptOf(input), 'QEMU_MACHINE');
    expect(machine).toMatch(
      /-numa node,nodeid=0,cpus=0-1,memdev=ram0\n\s+-numa node,nodeid=1,memdev=ram1/,
    );
    expect(machine).toMatch(/-object memory-backend-ram,id=ram1,size=1G,reserve=off/);
    expect(machine).toMatch(/-numa dist,src=0,dst=1,val=31\n\s+-numa dist,src=1,dst=0,val=31/);
  });
});

describe('kernel command line', () => {
  const cmdline = (kernel: NonNullable<ScenarioInput['kernel']>, arch?: ScenarioInput['arch']) =>
    arrayOf(scriptOf(recorded({ kernel, ...(arch ? { arch } : {}) })), 'KERNEL_CMDLINE');

  it('carries the defaults explicitly', () => {
    expect(cmdline({})).toBe(
      'console=ttyS0 quiet init_on_alloc=0 log_buf_len=4M no5lvl memory_hotplug.memmap_on_memory=0 memhp_default_state=offline memory_hotplug.online_policy=contig-zones',
    );
  });

  it('reflects every knob of the scenario', () => {
    const line = cmdline({
      memmapOnMemory: 'force',
      movableNode: true,
      autoOnline: 'online_movable',
      onlinePolicy: 'auto-movable',
      hvo: true,
    });
    expect(line).toMatch(/ movable_node /);
    expect(line).toMatch(/memory_hotplug\.memmap_on_memory=force/);
    expect(line).toMatch(/memhp_default_state=online_movable/);
    expect(line).toMatch(/memory_hotplug\.online_policy=auto-movable/);
    expect(line).toMatch(/hugetlb_free_vmemmap=on$/);
    expect(cmdline({ memmapOnMemory: 'on' })).toMatch(/memmap_on_memory=1 /);
  });

  it('boots strategy ram as memmap_on_memory=0, whatever memmapOnMemory says', () => {
    expect(cmdline({ memmapOnMemory: 'on', strategy: { kind: 'ram' } })).toMatch(
      /memmap_on_memory=0 /,
    );
  });

  it('keeps 5-level paging only for the 5-level arch', () => {
    expect(cmdline({}, 'x86_64-5level')).not.toMatch(/no5lvl/);
  });

  it('boots the kernelVersion a scenario names, when Debian packages it', () => {
    const versioned = (kernelVersion: string) =>
      ({ ...recorded(), era: undefined, kernelVersion }) as ScenarioInput;
    expect(scriptOf(versioned('6.1'))).toMatch(/^KERNEL_APT_PATTERN='\^linux-image-6\\\.1\\\.0-/m);
    expect(reasonsOf(versioned('6.8'))).toEqual([
      "kernelVersion 6.8: Debian packages Linux 6.1 and 6.12 for x86_64 (bookworm), and another version's rules may differ",
    ]);
  });

  it('picks the kernel package by era', () => {
    expect(scriptOf(recorded({ era: 'U1' }))).toMatch(
      /^KERNEL_APT_PATTERN='\^linux-image-6\\\.1\\\.0-\[0-9\]\+-amd64-unsigned\$'$/m,
    );
    expect(scriptOf(recorded())).toMatch(/^KERNEL_APT_PATTERN='\^linux-image-6\\\.12\\\./m);
  });
});

describe('what QEMU cannot run', () => {
  const cases: Array<[string, Partial<ScenarioInput>, RegExp]> = [
    [
      'another arch',
      { arch: 'ppc64-radix-64k', events: [] },
      /arch ppc64-radix-64k: .*x86_64 only.*DLPAR/,
    ],
    ['s390', { arch: 's390x', events: [] }, /s390 standby/],
    ['the RFC', { era: 'RFC1' }, /era RFC1: the 2017 RFC \(v1\) was never merged/],
    ['LEGACY', { era: 'LEGACY' }, /era LEGACY needs a kernel older than 5\.13.*5\.10/],
    ['6.6', { era: 'U2' }, /era U2 needs Linux 6\.6 or 6\.7/],
    ['force on 6.1', { era: 'U1', kernel: { memmapOnMemory: 'force' } }, /force needs Linux 6\.6/],
    [
      'a hypothetical strategy',
      { kernel: { memmapOnMemory: 'on', strategy: { kind: 'node-hosts' } } },
      /kernel\.strategy node-hosts: no kernel implements it/,
    ],
    [
      'DLPAR',
      { events: [{ op: 'add', size: '1G', via: 'dlpar' }] },
      /events\[0\] \(add via dlpar\)/,
    ],
    [
      'kmem',
      { events: [{ op: 'add', size: '1G', via: 'kmem' }] },
      /events\[0\] \(add via kmem\): .*devdax/,
    ],
    ['probe', { events: [{ op: 'add', size: '1G', via: 'probe' }] }, /CONFIG_ARCH_MEMORY_PROBE/],
    ['hv balloon', { events: [{ op: 'add', size: '1G', via: 'hv-balloon' }] }, /hv-balloon device/],
    ['xen balloon', { events: [{ op: 'add', size: '1G', via: 'xen-balloon' }] }, /Xen host/],
    ['HMM', { events: [{ op: 'device-private', size: '1G' }] }, /CONFIG_DEVICE_PRIVATE/],
    ['consume', { events: [{ op: 'consume', size: '1G' }] }, /events\[0\] \(consume\): .*movable/],
    [
      'an add below the window',
      { events: [{ op: 'add', start: '2G', size: '1G' }] },
      /below QEMU's device-memory window, which starts at 0x100000000/,
    ],
    [
      'part of a DIMM removed',
      {
        events: [
          { op: 'add', start: '4G', size: '4G', node: 0 },
          { op: 'remove', start: '4G', size: '1G' },
        ],
      },
      /events\[1\] \(remove 1 GiB at 0x100000000\): QEMU unplugs whole pc-dimms/,
    ],
    [
      'virtio-mem removed',
      {
        kernel: { autoOnline: 'online' },
        events: [
          { op: 'add', start: '4G', size: '1G', via: 'virtio-mem' },
          { op: 'remove', start: '4G', size: '1G' },
        ],
      },
      /virtio-mem's driver picks which blocks to unplug/,
    ],
    [
      'virtio-mem past its offline limit',
      { events: [{ op: 'add', start: '4G', size: '2G', via: 'virtio-mem' }] },
      /stops plugging once 1 GiB of its memory is offline/,
    ],
    [
      'device memory past the HyperTransport hole',
      { events: [{ op: 'add', start: '1T', size: '1G', node: 0 }] },
      /keeps it below 0xfd00000000/,
    ],
  ];
  it.each(cases)('names %s', (_what, change, reason) => {
    const reasons = reasonsOf(recorded(change));
    expect(
      reasons.some((text) => reason.test(text)),
      reasons.join('\n'),
    ).toBe(true);
  });

  it('names boot RAM layouts QEMU does not make', () => {
    const layout = (nodes: NonNullable<ScenarioInput['machine']>['nodes']) =>
      reasonsOf({ version: 1, machine: { nodes } }).join('\n');
    expect(layout([{ id: 0, ram: [{ start: 0, size: '8G' }] }])).toMatch(
      /QEMU splits RAM at 3 GiB once it passes 3\.5 GiB/,
    );
    expect(
      layout([
        {
          id: 0,
          ram: [
            { start: 0, size: '1G' },
            { start: '8G', size: '1G' },
          ],
        },
      ]),
    ).toMatch(/below 4 GiB and from 4 GiB on/);
    expect(
      layout([
        { id: 0, ram: [] },
        { id: 2, ram: [{ start: 0, size: '1G' }] },
      ]),
    ).toMatch(/NUMA node ids 0, 2: QEMU numbers nodes 0 to n-1/);
    expect(
      layout([
        { id: 0, ram: [{ start: '1G', size: '1G' }] },
        { id: 1, ram: [{ start: 0, size: '1G' }] },
      ]),
    ).toMatch(/node 0 boot RAM 0x40000000-0x7fffffff: QEMU would give it 0x0-0x3fffffff/);
  });

  it('lists every reason at once', () => {
    expect(
      reasonsOf(recorded({ era: 'LEGACY', events: [{ op: 'consume', size: '1G' }] })),
    ).toHaveLength(2);
  });
});

describe('events', () => {
  it('hot-adds a pc-dimm over QMP at the address and node of the event', () => {
    const script = scriptOf(recorded());
    expect(script).toContain(
      `qmp '{"execute":"object-add","arguments":{"qom-type":"memory-backend-ram","id":"mem-dimm0","size":4294967296,"reserve":false}}'`,
    );
    expect(script).toContain(
      `qmp '{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"dimm0","memdev":"mem-dimm0","node":0,"addr":4294967296}}'`,
    );
    expect(script).toContain(`qmp_wait 300 '"ACPI_DEVICE_OST"' '"device": "dimm0"'`);
    const init = heredocOf(script, 'MEMMAP_GUEST_INIT');
    expect(init).toMatch(/^need dimm0\nsnap 1$/m);
    expect(init).toMatch(/^set_state - - online\nsnap 2$/m);
  });

  it('resolves an add without address or node as the engine does', () => {
    const script = scriptOf(
      recorded({
        events: [
          { op: 'add', size: '1G' },
          { op: 'add', size: '1G' },
        ],
      }),
    );
    expect(script).toMatch(/"id":"dimm0","memdev":"mem-dimm0","node":1,"addr":4294967296\}/);
    expect(script).toMatch(/"id":"dimm1","memdev":"mem-dimm1","node":1,"addr":5368709120\}/);
  });

  it('removes whole DIMMs with device_del', () => {
    const script = scriptOf(
      recorded({
        events: [
          { op: 'add', start: '4G', size: '2G', node: 0 },
          { op: 'add', start: '6G', size: '2G', node: 0 },
          { op: 'remove', start: '4G', size: '4G' },
        ],
      }),
    );
    expect(script).toMatch(
      /del2\) # event 2: remove 4 GiB at 0x100000000: device_del dimm0, dimm1/,
    );
    expect(script).toContain(`qmp '{"execute":"device_del","arguments":{"id":"dimm1"}}'`);
    expect(script).toContain(`qmp_wait 120 '"DEVICE_DELETED"' '"device": "dimm0"'`);
    expect(script).toContain(`qmp '{"execute":"object-del","arguments":{"id":"mem-dimm1"}}'`);
    expect(heredocOf(script, 'MEMMAP_GUEST_INIT')).toMatch(/^need del2$/m);
  });

  it('grows one virtio-mem device per run of adds, from boot', () => {
    expect(scriptOf(recorded())).not.toMatch(/virtio-mem-pci/);
    const vmem = scriptOf(
      recorded({
        kernel: { autoOnline: 'online' },
        events: [
          { op: 'add', start: '4G', size: '1G', node: 1, via: 'virtio-mem' },
          { op: 'add', start: '5G', size: '1G', node: 1, via: 'virtio-mem' },
        ],
      }),
    );
    expect(arrayOf(vmem, 'QEMU_MACHINE')).toMatch(
      /-object memory-backend-ram,id=mem-vmem0,size=2G,reserve=off -device virtio-mem-pci,id=vmem0,memdev=mem-vmem0,node=1,memaddr=0x100000000,requested-size=0/,
    );
    expect(vmem).toContain(
      `qmp '{"execute":"qom-set","arguments":{"path":"/machine/peripheral/vmem0","property":"requested-size","value":1073741824}}'`,
    );
    expect(vmem).toContain(`"value":2147483648}}' &&\n        qmp_wait_size vmem0 2147483648`);
    expect(arrayOf(vmem, 'GUEST_MODULES')).toBe('virtio_mem');
  });

  it('turns a pmem event into an NVDIMM at boot and an fsdax namespace through sysfs', () => {
    const script = scriptOf(
      recorded({ events: [{ op: 'pmem', start: '4G', size: '4G', node: 1, map: 'mem' }] }),
    );
    const machine = arrayOf(script, 'QEMU_MACHINE');
    expect(machine).toMatch(/^-machine pc,nvdimm=on$/m);
    expect(machine).toMatch(/-device nvdimm,id=nvdimm0,memdev=mem-nvdimm0,node=1,addr=0x100000000/);
    expect(arrayOf(script, 'GUEST_MODULES')).toBe('nd_pmem nfit');
    const init = heredocOf(script, 'MEMMAP_GUEST_INIT');
    expect(init).toMatch(/^fsdax 0x100000000 ram 2097152$/m);
    expect(init).toMatch(/^wait_for '\/sys\/bus\/nd\/devices\/namespace\*' 1/m);
    const dev = scriptOf(
      recorded({
        events: [{ op: 'pmem', start: '4G', size: '4G', node: 1, map: 'dev', align: '1G' }],
      }),
    );
    expect(heredocOf(dev, 'MEMMAP_GUEST_INIT')).toMatch(/^fsdax 0x100000000 pmem 1073741824$/m);
  });

  it('writes memoryN/state over the event range, and nr_hugepages globally or per node', () => {
    const init = heredocOf(
      scriptOf(
        recorded({
          events: [
            { op: 'add', start: '4G', size: '4G', node: 1 },
            { op: 'online', start: '4G', size: '2G', as: 'online_movable' },
            { op: 'online', start: '6G', as: 'online_kernel' },
            { op: 'offline', start: '4G', size: '2G' },
            { op: 'hugetlb', pageSize: '2M', count: 100, node: 1 },
            { op: 'hugetlb', pageSize: '1G', count: 2 },
          ],
        }),
      ),
      'MEMMAP_GUEST_INIT',
    );
    expect(init).toMatch(/^set_state 32 48 online_movable$/m);
    expect(init).toMatch(/^set_state 48 49 online_kernel$/m);
    expect(init).toMatch(/^set_state 32 48 offline$/m);
    expect(init).toMatch(/^hugetlb 2048 1 100$/m);
    expect(init).toMatch(/^hugetlb 1048576 - 2$/m);
  });
});

describe("the engine's figures in the script", () => {
  it('are the figures of every step of the engine', () => {
    const input = oracleCase('movable-node1-mom');
    const { result, reproduction } = reproduceInput(input);
    if (!reproduction.ok) throw new Error(reproduction.reasons.join('; '));
    const table = new Map<string, string>();
    for (const line of heredocOf(reproduction.script, 'MEMMAP_ENGINE_TABLE').trim().split('\n')) {
      const [step, key, value] = line.split(' ');
      table.set(`${step} ${key}`, value!);
    }
    let blocks = 16;
    result.steps.forEach((_, index) => {
      const step = fullStep(result, index);
      const at = (key: string) => Number(table.get(`${index} ${key}`));
      expect(at('memtotal')).toBe(step.memTotal);
      expect(at('memfree')).toBe(step.memFree);
      expect(at('ok')).toBe(step.ok ? 1 : 0);
      for (const node of step.nodes) {
        expect(at(`node.${node.node}.memtotal`)).toBe(node.memTotal);
        expect(at(`node.${node.node}.memfree`)).toBe(node.memFree);
      }
      for (const zone of step.zones) {
        expect(at(`zone.${zone.node}.${zone.zone}.present`)).toBe(zone.presentPages);
        expect(at(`zone.${zone.node}.${zone.zone}.managed`)).toBe(zone.managedPages);
        expect(at(`zone.${zone.node}.${zone.zone}.spanned`)).toBe(zone.spannedPages);
      }
      blocks += step.blocksAdded ?? 0;
      expect(at('blocks')).toBe(blocks);
      if (step.op === 'hugetlb') {
        const pool = `node1.${step.pageSize! / 1024}`;
        expect(at(`huge.${pool}`)).toBe(step.allocated);
        expect(table.get(`${index} hugepool`)).toBe(pool);
      }
    });
    expect(table.get('0 blocksize')).toBe(String(result.resolved.blockSize));
    expect(table.get('0 setting.movable_node')).toBe('1');
    expect(table.get('0 setting.memmap_on_memory')).toBe('Y');
  });

  it("know the engine's pool before each hugetlb step", () => {
    const table = heredocOf(scriptOf(oracleCase('legacy-node0')), 'MEMMAP_ENGINE_TABLE');
    expect(table).toMatch(/^3 hugeprev\.all\.1048576 0$/m);
    expect(table).toMatch(/^4 hugeprev\.all\.1048576 3$/m);
    // A 1 GiB pool may come up one page short (at least one when the engine has some).
    expect(table).toMatch(/^3 hugemin\.all\.1048576 2$/m);
    expect(table).toMatch(/^5 hugemin\.all\.2048 2496$/m);
  });
});
