# Result format 2: every step with its full zone and node tables, as format 1 wrote them.
# Usage: npm run -s sim -- --json scenario.json | jq -f docs/formats/full-steps.jq
# A step lists only the zones and nodes that changed; a zone listed with spannedPages 0 is gone.
# (src/engine/read-steps.ts does the same in TypeScript.)
def zoneOrder: . as $zone | [$zone.node, (["DMA", "DMA32", "Normal", "Movable", "Device"] | index($zone.zone))];
[foreach .steps[] as $step ({zones: {}, nodes: {}};
   .zones = reduce $step.zones[] as $zone (.zones;
     if $zone.spannedPages == 0 then del(.["\($zone.node)/\($zone.zone)"])
     else .["\($zone.node)/\($zone.zone)"] = $zone end)
   | .nodes = reduce $step.nodes[] as $node (.nodes; .["\($node.node)"] = $node);
   $step + {zones: ([.zones[]] | sort_by(zoneOrder)), nodes: ([.nodes[]] | sort_by(.node))})]
