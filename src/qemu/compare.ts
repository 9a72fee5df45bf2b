/**
 * The awk program the host runs after each step: it reads the engine's table (figures.ts) and
 * the kernel's (`<step> <key> <value>` from the guest's @@K lines), prints the step's figures
 * side by side with their changes, and appends every disagreement to the differences file.
 * Boot is printed but only the memory block size and the settings are checked there: boot RAM
 * differs by firmware reserves, so from then on each step's change is compared, not its value.
 */
import { shell } from './shell.ts';

export const COMPARE_AWK = shell`# compare.awk -v step=N -v title=... -v diffs=FILE engine.tsv kernel.tsv
function num(x) { return x == "" ? 0 : x + 0 }
function kb(x) { return sprintf("%.0f kB", x / 1024) }
function signedKb(x) { return sprintf("%+.0f kB", x / 1024) }
function signed(x) { return sprintf("%+.0f", x) }
function row(name, kernel, kernelChange, engine, engineChange, verdict) {
  printf "  %-30s %14s %13s %14s %13s  %s\n", name, kernel, kernelChange, engine, engineChange, verdict
}
function differ(what) { ndiff++; print "step " step " (" title "): " what >> diffs }
function show(key, bytes) { return bytes ? kb(key) : sprintf("%.0f", key) }
function showChange(x, bytes) { return bytes ? signedKb(x) : signed(x) }
# A figure whose change must be the engine's exactly.
function exact(name, key, bytes,   dk, de) {
  dk = num(K[step, key]) - num(K[prev, key]); de = num(E[step, key]) - num(E[prev, key])
  if (dk == de) verdict = "ok"
  else { verdict = "DIFFERS"; differ(name " changed by " showChange(dk, bytes) " in the kernel, " showChange(de, bytes) " in the engine") }
  if (!quiet || verdict != "ok") row(name, show(num(K[step, key]), bytes), showChange(dk, bytes), show(num(E[step, key]), bytes), showChange(de, bytes), verdict)
}
# MemFree: within the step's slack, each side's own huge page pool change added back.
function free(name, key, kernelPool, enginePool, skip,   dk, de, slack) {
  dk = num(K[step, key]) - num(K[prev, key]) + kernelPool
  de = num(E[step, key]) - num(E[prev, key]) + enginePool
  slack = num(E[step, "freeslack"])
  if (skip != "") verdict = "not compared: " skip
  else if (dk - de <= slack && de - dk <= slack) verdict = sprintf("ok (within %.0f kB)", slack / 1024)
  else { verdict = "DIFFERS"; differ(sprintf("%s changed by %s in the kernel, %s in the engine (more than %.0f kB apart)", name, signedKb(dk), signedKb(de), slack / 1024)) }
  if (!quiet || verdict ~ /^DIFFERS/) row(name, kb(num(K[step, key])), signedKb(dk), kb(num(E[step, key])), signedKb(de), verdict)
}
FILENAME == ARGV[1] { E[$1, $2] = $3; if ($1 == step || $1 == step - 1) keys[$2] = 1; next }
{ K[$1, $2] = $3; if ($1 == step || $1 == step - 1) keys[$2] = 1 }
END {
  prev = step - 1
  printf "  %-30s %14s %13s %14s %13s  %s\n", "figure", "kernel", "change", "engine", "change", "check"
  if (step == 0) {
    row("memory block size", K[0, "blocksize"], "", E[0, "blocksize"], "", K[0, "blocksize"] == E[0, "blocksize"] ? "ok" : "DIFFERS")
    if (K[0, "blocksize"] != E[0, "blocksize"]) differ("the kernel's memory blocks are " K[0, "blocksize"] " bytes, the engine's " E[0, "blocksize"])
    count = split("release memmap_on_memory online_policy auto_online_blocks movable_node hugetlb_optimize_vmemmap", names, " ")
    for (i = 1; i <= count; i++) {
      name = names[i]; key = "setting." name
      ok = name == "release" ? index(K[0, key], E[0, key]) == 1 : K[0, key] == E[0, key]
      row(name, K[0, key], "", E[0, key] (name == "release" ? "*" : ""), "", ok ? "ok" : "DIFFERS")
      if (!ok) differ("the kernel's " name " is " K[0, key] ", the scenario asks for " E[0, key])
    }
    row("MemTotal", kb(K[0, "memtotal"]), "", kb(E[0, "memtotal"]), "", "(boot: not compared)")
    row("MemFree (with per-cpu lists)", kb(K[0, "memfree"]), "", kb(E[0, "memfree"]), "", "")
    split("DMA DMA32 Normal Movable Device", zones, " ")
    for (id = 0; id < 1024; id++) for (z = 1; z <= 5; z++) {
      base = "zone." id "." zones[z]
      if (num(K[0, base ".spanned"]) || num(E[0, base ".spanned"])) {
        row("zone " id "/" zones[z] " present", num(K[0, base ".present"]), "", num(E[0, base ".present"]), "", "")
        row("zone " id "/" zones[z] " managed", num(K[0, base ".managed"]), "", num(E[0, base ".managed"]), "", "")
      }
    }
    row("memory blocks", K[0, "blocks"], "", E[0, "blocks"], "", "")
    exit
  }
  if (E[step, "ok"] == 0) print "  (the engine says the kernel refuses this event)"
  pool = E[step, "hugepool"]; kernelPool = enginePool = 0; skip = ""; where = ""
  if (pool != "") {
    split(pool, poolPart, "."); where = poolPart[1]; pageBytes = poolPart[2] * 1024
    kernelPool = (num(K[step, "huge." pool]) - num(K[prev, "huge." pool])) * pageBytes
    if (E[step, "hugeprev." pool] < 0) skip = "the engine's pool before this step is not known"
    else enginePool = (num(E[step, "huge." pool]) - E[step, "hugeprev." pool]) * pageBytes
  }
  quiet = 0
  exact("MemTotal", "memtotal", 1)
  free("MemFree (with per-cpu lists)", "memfree", kernelPool, enginePool, skip)
  n = 0
  for (key in keys) if (key ~ /^node\.[0-9]+\.memtotal$/) { split(key, part, "."); nodes[++n] = part[2] + 0 }
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (nodes[j] < nodes[i]) { t = nodes[i]; nodes[i] = nodes[j]; nodes[j] = t }
  # With one node holding memory, a global pool is that node's.
  withMemory = 0
  for (i = 1; i <= n; i++) if (num(K[step, "node." nodes[i] ".memtotal"]) && num(E[step, "node." nodes[i] ".memtotal"])) { withMemory++; only = nodes[i] }
  for (i = 1; i <= n; i++) {
    id = nodes[i]
    # A node without memory on either side (a memoryless node) is checked but not printed.
    quiet = !(num(K[step, "node." id ".memtotal"]) || num(K[prev, "node." id ".memtotal"]) || num(E[step, "node." id ".memtotal"]) || num(E[prev, "node." id ".memtotal"]))
    exact("node " id " MemTotal", "node." id ".memtotal", 1)
    own = where == "node" id || (where == "all" && withMemory == 1 && only == id)
    nodeSkip = own ? skip : where == "all" ? "a global pool spreads over the nodes" : ""
    free("node " id " MemFree", "node." id ".memfree", own ? kernelPool : 0, own ? enginePool : 0, nodeSkip)
  }
  split("DMA DMA32 Normal Movable Device", zones, " ")
  for (id = 0; id < 1024; id++) for (z = 1; z <= 5; z++) {
    base = "zone." id "." zones[z]
    if (!((base ".spanned") in keys)) continue
    any = 0
    for (f = 1; f <= 3; f++) {
      field = f == 1 ? "spanned" : f == 2 ? "present" : "managed"
      any = any || num(K[step, base "." field]) || num(K[prev, base "." field]) || num(E[step, base "." field]) || num(E[prev, base "." field])
    }
    if (!any) continue
    # Zones this step left alone on both sides are checked but not printed.
    moved = 0
    for (f = 1; f <= 3; f++) {
      field = f == 1 ? "spanned" : f == 2 ? "present" : "managed"
      moved = moved || num(K[step, base "." field]) != num(K[prev, base "." field]) || num(E[step, base "." field]) != num(E[prev, base "." field])
    }
    quiet = !moved
    exact("zone " id "/" zones[z] " spanned", base ".spanned", 0)
    exact("zone " id "/" zones[z] " present", base ".present", 0)
    exact("zone " id "/" zones[z] " managed", base ".managed", 0)
  }
  quiet = 0
  exact("memory blocks", "blocks", 0)
  if (pool != "") {
    have = num(K[step, "huge." pool]); want = num(E[step, "huge." pool]); least = num(E[step, "hugemin." pool])
    name = "huge pages " poolPart[2] " kB (" where ")"
    if (have >= least && have <= want) verdict = least == want ? "ok" : sprintf("ok (%d to %d)", least, want)
    else { verdict = "DIFFERS"; differ(sprintf("%s: the kernel has %d, the engine %d (the kernel may have %d to %d)", name, have, want, least, want)) }
    row(name, have, "", want, "", verdict)
  }
}
`;
