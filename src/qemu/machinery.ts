/**
 * The fixed body of every reproducer script (bash): tools, kernel and modules, the initramfs,
 * QEMU and its QMP socket, the loop that answers the guest and compares each step. It reads only
 * what the generated head defines: KERNEL_NAME, KERNEL_APT_PATTERN, KERNEL_CMDLINE, QEMU_MACHINE,
 * GUEST_MODULES, STEP_TITLES, host_action, write_engine_table and write_guest_init.
 *
 * QMP goes through a bash coprocess (python3 relaying the socket, else socat), so one connection
 * sees a command's answer and the events after it. The guest's console is a pair of FIFOs (QEMU's
 * pipe chardev): the host reads the guest's lines and writes its answers to @@NEED.
 */
import { COMPARE_AWK } from './compare.ts';
import { shell } from './shell.ts';

export const MACHINERY = shell`
# ------------------------------------------------------------------ machinery (every reproducer)
write_compare_awk() {
  cat >"$1" <<'MEMMAP_COMPARE_AWK'
${COMPARE_AWK}MEMMAP_COMPARE_AWK
}

say() { printf '%s\n' "$*"; }
cannot_run() { printf 'reproduce: %s\n' "$*" >&2; exit 2; }

check_tools() {
  QEMU=\${QEMU:-qemu-system-x86_64}
  command -v "$QEMU" >/dev/null ||
    cannot_run "$QEMU not found (Debian or Ubuntu: apt-get install qemu-system-x86 busybox-static)"
  BUSYBOX=
  for candidate in \${BUSYBOX_BIN:-} /bin/busybox /usr/bin/busybox; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && { BUSYBOX=$candidate; break; }
  done
  [ -n "$BUSYBOX" ] || cannot_run "busybox not found (Debian or Ubuntu: apt-get install busybox-static)"
  # The initramfs has no C library: a dynamically linked busybox names its loader's path.
  if grep -qaE '/lib(64)?/ld-linux' "$BUSYBOX"; then
    cannot_run "$BUSYBOX is dynamically linked; install busybox-static"
  fi
  # QMP_TOOL=socat chooses socat even where python3 is there.
  if [ -n "\${QMP_TOOL:-}" ]; then
    command -v "$QMP_TOOL" >/dev/null || cannot_run "QMP_TOOL=$QMP_TOOL not found"
  elif command -v python3 >/dev/null; then QMP_TOOL=python3
  elif command -v socat >/dev/null; then QMP_TOOL=socat
  else cannot_run "QMP needs python3 or socat (apt-get install python3)"; fi
}

# The kernel: $KERNEL, or the newest Debian package of the series, unpacked once into the cache.
fetch_kernel() {
  if [ -n "\${KERNEL:-}" ]; then
    VMLINUZ=$KERNEL
    [ -r "$VMLINUZ" ] || cannot_run "KERNEL=$KERNEL cannot be read"
    local release; release=$(basename "$VMLINUZ"); release=\${release#vmlinuz-}
    MODULES_DIR=\${KERNEL_MODULES:-$(dirname "$VMLINUZ")/../lib/modules/$release}
    return
  fi
  for tool in apt-cache apt-get dpkg-deb; do
    command -v $tool >/dev/null || cannot_run "no KERNEL set and no $tool to fetch $KERNEL_NAME"
  done
  local package cache tree
  package=$(apt-cache search --names-only "$KERNEL_APT_PATTERN" | awk '{ print $1 }' | sort -V | tail -n 1)
  [ -n "$package" ] ||
    cannot_run "apt-cache finds no package like $KERNEL_APT_PATTERN (apt-get update, or set KERNEL)"
  cache=\${CACHE:-\${XDG_CACHE_HOME:-$HOME/.cache}/memmap-explorer-qemu}
  tree=$cache/$package
  if [ ! -d "$tree/boot" ]; then
    say "fetching $package"
    mkdir -p "$cache/download" || cannot_run "cannot create $cache"
    (cd "$cache/download" && apt-get download "$package") || cannot_run "apt-get download $package failed"
    rm -rf "$tree.part"
    dpkg-deb -x "$cache/download/$package"_*.deb "$tree.part" && mv "$tree.part" "$tree" ||
      cannot_run "dpkg-deb -x failed for $package"
    rm -f "$cache/download/$package"_*.deb
  fi
  VMLINUZ=$(ls "$tree"/boot/vmlinuz-* | head -n 1)
  MODULES_DIR=$(ls -d "$tree"/lib/modules/* | head -n 1)
}

module_bytes() {
  case $1 in
    *.xz) "$BUSYBOX" xzcat "$1" ;;
    *.gz) "$BUSYBOX" zcat "$1" ;;
    *.zst) zstd -dc "$1" ;;
    *) cat "$1" ;;
  esac
}

# add_module NAME: the module, after the modules it depends on, uncompressed into /modules.
add_module() {
  local name=$1 file dep
  case " $ADDED " in *" $name "*) return 0 ;; esac
  ADDED="$ADDED $name"
  if grep -q "/$name\.ko" "$MODULES_DIR/modules.builtin" 2>/dev/null; then return 0; fi
  file=$(find "$MODULES_DIR" \( -name "$name.ko*" -o -name "$(printf %s "$name" | tr _ -).ko*" \) | head -n 1)
  [ -n "$file" ] || cannot_run "module $name is not under $MODULES_DIR (set KERNEL_MODULES)"
  for dep in $(module_bytes "$file" | tr '\0' '\n' | sed -n 's/^depends=//p' | tr , ' '); do
    add_module "$dep"
  done
  MODULE_COUNT=$((MODULE_COUNT + 1))
  module_bytes "$file" >"$WORK/root/modules/$(printf %02d $MODULE_COUNT)-$name.ko"
}

build_initramfs() {
  mkdir -p "$WORK/root/bin" "$WORK/root/modules"
  cp "$BUSYBOX" "$WORK/root/bin/busybox"
  write_guest_init "$WORK/root/init"
  chmod 755 "$WORK/root/init"
  ADDED= MODULE_COUNT=0
  for module in \${GUEST_MODULES[@]+"\${GUEST_MODULES[@]}"}; do add_module "$module"; done
  (cd "$WORK/root" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null) | "$BUSYBOX" gzip -1 >"$WORK/initrd" ||
    cannot_run "could not build the initramfs"
}

# TCG always works; KVM only when /dev/kvm is usable and QEMU can really start a vCPU with it.
pick_accel() {
  ACCEL=(-accel tcg,thread=multi)
  if [ -r /dev/kvm ] && [ -w /dev/kvm ] && (
    printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"quit"}' |
      timeout 30 "$QEMU" -accel kvm -cpu max -machine pc -m 64M -nodefaults -display none \
        -monitor none -S -qmp stdio
  ) >/dev/null 2>&1; then
    ACCEL=(-accel kvm)
  fi
}

# QMP: python3 (or socat) relays lines between a bash coprocess and QEMU's socket.
PY_RELAY='
import socket, sys, threading
sock = socket.socket(socket.AF_UNIX)
sock.connect(sys.argv[1])
def send():
    for line in sys.stdin:
        sock.sendall(line.encode())
threading.Thread(target=send, daemon=True).start()
for line in sock.makefile("r"):
    sys.stdout.write(line)
    sys.stdout.flush()
'
qmp_relay() {
  if [ "$QMP_TOOL" = python3 ]; then python3 -c "$PY_RELAY" "$1"; else socat - "UNIX-CONNECT:$1"; fi
}

QMP_EVENTS=()
qmp_read() {
  # bash unsets QMP when the relay exits (QEMU gone).
  [ -n "\${QMP[0]:-}" ] || return 1
  IFS= read -r -t "$1" -u "\${QMP[0]}" QMP_LINE || return 1
  QMP_LINE=\${QMP_LINE%$'\r'}
  printf '<- %s\n' "$QMP_LINE" >>"$WORK/qmp.log"
}

# qmp JSON: sends one command and waits for its answer (events meanwhile are kept for qmp_wait).
qmp() {
  [ -n "\${QMP[1]:-}" ] || { QMP_ERROR="the QMP connection is closed"; return 1; }
  printf '%s\n' "$1" >&"\${QMP[1]}"
  printf -- '-> %s\n' "$1" >>"$WORK/qmp.log"
  while qmp_read 60; do
    case $QMP_LINE in
      *'"return"'*) return 0 ;;
      *'"error"'*) QMP_ERROR=$QMP_LINE; return 1 ;;
      *'"event"'*) QMP_EVENTS+=("$QMP_LINE") ;;
    esac
  done
  QMP_ERROR="QEMU did not answer $1"
  return 1
}

has_all() {
  local line=$1 pattern
  shift
  for pattern; do [[ $line == *"$pattern"* ]] || return 1; done
}

# qmp_wait SECONDS PATTERN...: waits for an event whose line contains every PATTERN.
qmp_wait() {
  local seconds=$1 deadline index
  shift
  deadline=$((SECONDS + seconds))
  for index in "\${!QMP_EVENTS[@]}"; do
    if has_all "\${QMP_EVENTS[$index]}" "$@"; then
      QMP_MATCH=\${QMP_EVENTS[$index]}
      unset "QMP_EVENTS[$index]"
      return 0
    fi
  done
  while [ $SECONDS -lt $deadline ] && qmp_read $((deadline - SECONDS)); do
    if has_all "$QMP_LINE" "$@"; then QMP_MATCH=$QMP_LINE; return 0; fi
  done
  QMP_ERROR="no $* within $seconds s"
  return 1
}

# qmp_wait_size ID BYTES: waits until virtio-mem ID has plugged BYTES, or 30 s pass without progress.
qmp_wait_size() {
  while qmp_wait 30 '"MEMORY_DEVICE_SIZE_CHANGE"' "\"id\": \"$1\""; do
    [[ $QMP_MATCH == *"\"size\": $2,"* ]] && return 0
  done
  QMP_ERROR="virtio-mem $1 did not reach $2 bytes"
  return 1
}

start_qemu() {
  mkfifo "$WORK/console.in" "$WORK/console.out" || cannot_run "mkfifo failed"
  exec {CONSOLE_IN}<>"$WORK/console.in" {CONSOLE_OUT}<>"$WORK/console.out"
  say "qemu: $QEMU \${ACCEL[*]} \${QEMU_MACHINE[*]} -kernel $VMLINUZ -append '\${KERNEL_CMDLINE[*]}'"
  "$QEMU" "\${ACCEL[@]}" "\${QEMU_MACHINE[@]}" -kernel "$VMLINUZ" -initrd "$WORK/initrd" \
    -append "\${KERNEL_CMDLINE[*]}" -chardev pipe,id=console,path="$WORK/console" \
    -serial chardev:console -qmp unix:"$WORK/qmp.sock",server=on,wait=off \
    -display none -monitor none -nodefaults -no-reboot >"$WORK/qemu.log" 2>&1 &
  QEMU_PID=$!
  for _ in $(seq 100); do
    [ -S "$WORK/qmp.sock" ] && break
    kill -0 $QEMU_PID 2>/dev/null || break
    sleep 0.1
  done
  [ -S "$WORK/qmp.sock" ] || cannot_run "QEMU did not start: $(cat "$WORK/qemu.log")"
  coproc QMP { qmp_relay "$WORK/qmp.sock"; }
  qmp_read 30 || cannot_run "no QMP greeting from QEMU"
  qmp '{"execute":"qmp_capabilities"}' || cannot_run "QMP: $QMP_ERROR"
}

compare_step() {
  awk -v step="$1" -v title="\${STEP_TITLES[$1]}" -v diffs="$WORK/differences" \
    -f "$WORK/compare.awk" "$WORK/engine.tsv" "$WORK/kernel.tsv"
}

# Reads the guest's console until it says goodbye, answering @@NEED and comparing each @@END.
run_guest() {
  local line idle=0 step=0 last=-1 timeout=\${GUEST_TIMEOUT:-900}
  FINISHED=0
  while :; do
    if ! IFS= read -r -t 5 -u $CONSOLE_OUT line; then
      kill -0 $QEMU_PID 2>/dev/null || { GUEST_END="QEMU exited: $(tail -n 3 "$WORK/qemu.log")"; break; }
      idle=$((idle + 5))
      [ $idle -lt "$timeout" ] || { GUEST_END="the guest was silent for $timeout s"; break; }
      continue
    fi
    idle=0
    line=\${line%$'\r'}
    printf '%s\n' "$line" >>"$WORK/console.log"
    case $line in
      '@@NEED '*)
        local id=\${line#@@NEED } reply=ok
        QMP_ERROR=
        host_action "$id" || reply="failed: $QMP_ERROR"
        say "  host: $id $reply"
        printf '@@GO %s %s\n' "$id" "$reply" >&$CONSOLE_IN ;;
      '@@STEP '*) step=\${line#@@STEP }; say ""; say "step $step: \${STEP_TITLES[$step]}" ;;
      '@@SNAP 0') step=0; say ""; say "step 0: \${STEP_TITLES[0]}" ;;
      '@@K '*) printf '%s %s\n' "$step" "\${line#@@K }" >>"$WORK/kernel.tsv" ;;
      '@@END '*) compare_step "$step"; last=$step ;;
      '@@DMESG '*) printf '%s\n' "\${line#@@DMESG }" >>"$WORK/dmesg.txt" ;;
      '@@DONE') FINISHED=1 ;;
      '@@BYE') break ;;
      '@@SNAP '* | '@@GOT '*) ;;
      '@@'*) say "  guest: \${line#@@}" ;;
      '') ;;
      *) say "  console: $line" ;;
    esac
  done
  LAST_STEP=$last
}

cleanup() {
  [ -n "\${QEMU_PID:-}" ] && kill $QEMU_PID 2>/dev/null
  [ -n "\${QMP_PID:-}" ] && kill $QMP_PID 2>/dev/null
  if [ -n "\${WORK:-}" ] && [ "\${KEEP_WORK:-0}" = 0 ] && [ "\${KEEP:-0}" = 0 ]; then rm -rf "$WORK"; fi
}

main() {
  check_tools
  fetch_kernel
  WORK=$(mktemp -d "\${TMPDIR:-/tmp}/memmap-qemu.XXXXXX") || cannot_run "mktemp failed"
  trap cleanup EXIT
  build_initramfs
  write_engine_table "$WORK/engine.tsv"
  write_compare_awk "$WORK/compare.awk"
  : >"$WORK/kernel.tsv"
  : >"$WORK/differences"
  pick_accel
  say "kernel: $VMLINUZ"
  say "accelerator: \${ACCEL[*]}; QMP through $QMP_TOOL"
  start_qemu
  GUEST_END=
  run_guest
  for _ in $(seq 60); do kill -0 $QEMU_PID 2>/dev/null || break; sleep 0.5; done
  local steps=$((\${#STEP_TITLES[@]} - 1))
  if [ "$FINISHED" != 1 ] || [ "$LAST_STEP" -lt "$steps" ]; then
    say "step $((LAST_STEP + 1)) onwards: not reached (\${GUEST_END:-the guest stopped})" >>"$WORK/differences"
  fi
  say ""
  if [ -s "$WORK/differences" ]; then
    KEEP_WORK=1
    say "The kernel and the engine differ:"
    sed 's/^/  /' "$WORK/differences"
    say "(console, QMP traffic and dmesg are in $WORK)"
    exit 1
  fi
  say "Every step's change agrees with the engine ($steps events)."
  exit 0
}

main "$@"
`;
