/**
 * The guest's /init: a busybox shell script that performs the guest-side half of each event and
 * reports the kernel's figures after it. It talks to the host over the serial console: lines it
 * prints that start with @@ are for the host (@@NEED asks the host for a QMP action and waits
 * for the host's @@GO line on the console's input; @@SNAP..@@END frame one step's figures as
 * `@@K <key> <value>` lines); everything else is the kernel's or busybox's own output.
 *
 * The fixed helpers come first; the scenario's steps are generated at the end.
 */
import type { PlannedEvent } from './devices.ts';
import { hex } from '../engine/units.ts';
import { commentText, shell } from './shell.ts';

/** The helpers every reproducer's guest uses (no scenario text in here). */
export const GUEST_HELPERS = shell`#!/bin/busybox sh
# Guest side of a Memmap Explorer reproducer (see the host script for the whole story).
/bin/busybox mkdir -p /bin /proc /sys /dev /tmp
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# The host's answers arrive on the console; do not echo them back.
stty -echo 2>/dev/null
MEM=/sys/devices/system/memory
NODE=/sys/devices/system/node

info() { echo "@@K $1 $2"; }

# The kernel's view of the scenario's settings, reported with the boot figures.
report_settings() {
  info setting.release "$(uname -r)"
  info setting.memmap_on_memory "$(cat /sys/module/memory_hotplug/parameters/memmap_on_memory 2>/dev/null || echo -)"
  info setting.online_policy "$(cat /sys/module/memory_hotplug/parameters/online_policy 2>/dev/null || echo contig-zones)"
  info setting.auto_online_blocks "$(cat $MEM/auto_online_blocks)"
  if grep -qw movable_node /proc/cmdline; then info setting.movable_node 1; else info setting.movable_node 0; fi
  info setting.hugetlb_optimize_vmemmap "$(cat /proc/sys/vm/hugetlb_optimize_vmemmap 2>/dev/null || echo 0)"
  info blocksize $((0x$(cat $MEM/block_size_bytes)))
}

# One step's figures. Pages on the per-cpu lists are free memory that MemFree leaves out; the
# engine has no per-cpu lists, so they are added back (x86: 4096-byte pages).
snap() {
  echo "@@SNAP $1"
  [ "$1" = 0 ] && report_settings
  awk '
    FILENAME == "/proc/zoneinfo" && $1 == "Node" { node = $2; sub(",", "", node); zone = $4 }
    FILENAME == "/proc/zoneinfo" && ($1 == "spanned" || $1 == "present" || $1 == "managed") {
      print "@@K zone." node "." zone "." $1, $2
    }
    FILENAME == "/proc/zoneinfo" && $1 == "count:" { pcp[node] += $2; pcpAll += $2 }
    FILENAME == "/proc/meminfo" && $1 == "MemTotal:" { memTotal = $2 * 1024 }
    FILENAME == "/proc/meminfo" && $1 == "MemFree:" { memFree = $2 * 1024 }
    FILENAME ~ /node[0-9]+\/meminfo$/ && $3 == "MemTotal:" { nodeTotal[$2] = $4 * 1024 }
    FILENAME ~ /node[0-9]+\/meminfo$/ && $3 == "MemFree:" { nodeFree[$2] = $4 * 1024 }
    END {
      printf "@@K memtotal %.0f\n@@K memfree %.0f\n@@K pcp %d\n", memTotal, memFree + pcpAll * 4096, pcpAll
      for (n in nodeTotal) {
        printf "@@K node.%s.memtotal %.0f\n", n, nodeTotal[n]
        printf "@@K node.%s.memfree %.0f\n", n, nodeFree[n] + pcp[n] * 4096
      }
    }' /proc/zoneinfo /proc/meminfo $NODE/node[0-9]*/meminfo
  info blocks "$(ls -d $MEM/memory[0-9]* | wc -l)"
  for pool in /sys/kernel/mm/hugepages/hugepages-*kB; do
    kb=\${pool##*-}; info huge.all.\${kb%kB} "$(cat $pool/nr_hugepages)"
  done
  for pool in $NODE/node[0-9]*/hugepages/hugepages-*kB; do
    [ -e "$pool" ] || continue
    kb=\${pool##*-}; n=\${pool#$NODE/node}; n=\${n%%/*}
    info huge.node$n.\${kb%kB} "$(cat $pool/nr_hugepages)"
  done
  echo "@@END $1"
}

# The kernel adds and onlines memory asynchronously after QEMU's notification: wait until the
# number of blocks and MemTotal have not changed for 1.5 s (at most 2 minutes).
settle() {
  last=; same=0; tries=0
  while [ $same -lt 3 ] && [ $tries -lt 240 ]; do
    now="$(ls -d $MEM/memory[0-9]* | wc -l) $(grep MemTotal /proc/meminfo)"
    if [ "$now" = "$last" ]; then same=$((same + 1)); else same=0; last=$now; fi
    tries=$((tries + 1)); sleep 0.5
  done
}

# Waits (at most a minute) until at least $2 paths match the glob $1.
wait_for() {
  tries=0
  while [ "$(ls -d $1 2>/dev/null | wc -l)" -lt "$2" ] && [ $tries -lt 120 ]; do
    tries=$((tries + 1)); sleep 0.5
  done
}

# Asks the host for a QMP action and waits for its answer.
need() {
  echo "@@NEED $1"
  read -r reply
  echo "@@GOT $reply"
  settle
}

# set_state FIRST END STATE: writes STATE to memoryN/state of each block N in [FIRST, END)
# (every block when FIRST is -) that is not already in that state, lowest block first.
set_state() {
  ok=0; failed=0
  for n in $(ls $MEM | sed -n 's/^memory\([0-9][0-9]*\)$/\1/p' | sort -n); do
    if [ "$1" != - ] && { [ $n -lt $1 ] || [ $n -ge $2 ]; }; then continue; fi
    state=$(cat $MEM/memory$n/state)
    if [ "$3" = offline ]; then [ "$state" = online ] || continue
    else [ "$state" = offline ] || continue; fi
    if echo $3 > $MEM/memory$n/state 2>/dev/null; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
  done
  echo "@@SETSTATE $3 ok=$ok failed=$failed"
}

# hugetlb KB NODE COUNT: sets nr_hugepages of the KB-sized pool, globally when NODE is -.
hugetlb() {
  if [ "$2" = - ]; then pool=/sys/kernel/mm/hugepages/hugepages-$1kB
  else pool=$NODE/node$2/hugepages/hugepages-$1kB; fi
  echo $3 > $pool/nr_hugepages 2>/dev/null
  echo "@@HUGE $1kB node=$2 requested=$3 rc=$? now=$(cat $pool/nr_hugepages 2>/dev/null)"
}

# fsdax START MODE ALIGN: makes the label-less namespace at START an fsdax namespace through its
# region's pfn seed, as ndctl create-namespace -f -e <ns> -m fsdax --map=dev|mem would
# (pfn mode pmem = --map=dev, ram = --map=mem).
fsdax() {
  ns=
  for dev in /sys/bus/nd/devices/namespace*; do
    [ "$(cat $dev/resource 2>/dev/null)" = "$1" ] && ns=\${dev##*/}
  done
  if [ -z "$ns" ]; then echo "@@FSDAX no namespace at $1"; return; fi
  region=$(basename "$(readlink -f /sys/bus/nd/devices/$ns/..)")
  pfn=$(cat /sys/bus/nd/devices/$region/pfn_seed)
  for write in "drivers/nd_pmem/unbind=$ns" "devices/$pfn/uuid=$(cat /proc/sys/kernel/random/uuid)" \
      "devices/$pfn/mode=$2" "devices/$pfn/align=$3" "devices/$pfn/namespace=$ns" \
      "drivers/nd_pmem/bind=$pfn"; do
    echo "\${write#*=}" > /sys/bus/nd/\${write%%=*} 2>/dev/null
    echo "@@SYSW /sys/bus/nd/\${write%%=*} = \${write#*=} rc=$?"
  done
  settle
}

# The kernel's modules this scenario needs, in dependency order.
for module in /modules/*.ko; do
  [ -e "$module" ] || continue
  insmod $module 2>/dev/null
  echo "@@INSMOD \${module##*/} rc=$?"
done
`;

function guestCommand(event: PlannedEvent): string {
  const action = event.action;
  switch (action.kind) {
    case 'dimm-add':
      return `need ${action.id}`;
    case 'dimm-del':
      return `need del${event.index}`;
    case 'vmem-resize':
      return `need resize${event.index}`;
    case 'state':
      return action.firstBlock === null
        ? `set_state - - ${action.write}`
        : `set_state ${action.firstBlock} ${action.endBlock} ${action.write}`;
    case 'hugetlb':
      return `hugetlb ${action.pageKiB} ${action.node ?? '-'} ${action.count}`;
    case 'fsdax':
      return `fsdax ${hex(action.start)} ${action.mode} ${action.alignBytes}`;
  }
}

/** The host's name for the QMP action of an event, as `need` asks for it. */
export function hostActionId(event: PlannedEvent): string | null {
  const action = event.action;
  if (action.kind === 'dimm-add') return action.id;
  if (action.kind === 'dimm-del') return `del${event.index}`;
  if (action.kind === 'vmem-resize') return `resize${event.index}`;
  return null;
}

/** The whole /init: helpers, waiting for the devices, then one command and snapshot per event. */
export function guestInit(
  events: PlannedEvent[],
  waits: { nvdimms: number; virtioMem: number },
): string {
  const lines = [GUEST_HELPERS, '# --- the scenario (generated) ---'];
  if (waits.nvdimms > 0)
    lines.push(
      `wait_for '/sys/bus/nd/devices/namespace*' ${waits.nvdimms}  # the NVDIMMs' namespaces`,
    );
  if (waits.virtioMem > 0)
    lines.push(
      `wait_for '/sys/bus/virtio/drivers/virtio_mem/virtio*' ${waits.virtioMem}  # virtio-mem bound`,
    );
  lines.push('settle', 'snap 0');
  for (const event of events) {
    lines.push(`# event ${event.index}: ${commentText(event.summary)}`);
    lines.push(`echo "@@STEP ${event.index + 1}"`);
    lines.push(guestCommand(event));
    lines.push(`snap ${event.index + 1}`);
  }
  lines.push(
    'echo @@DONE',
    '# The whole kernel log, for the record.',
    "dmesg | sed 's/^/@@DMESG /'",
    'echo @@BYE',
    'poweroff -f',
    '',
  );
  return lines.join('\n');
}
