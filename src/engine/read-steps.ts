/**
 * Reading steps of result format 2, where each step lists only the zones and nodes whose figures
 * changed: the full tables after every step, as format 1 gave them (every zone that spans
 * anything, every node). Computed once per result and kept beside it.
 */
import type { NodeStat, Result, Step, ZoneStat } from './result.ts';

export interface StepTables {
  zones: ZoneStat[];
  nodes: NodeStat[];
}

const cache = new WeakMap<readonly Step[], StepTables[]>();

export function stepTables(steps: readonly Step[]): StepTables[] {
  const cached = cache.get(steps);
  if (cached) return cached;
  const zones = new Map<string, ZoneStat>();
  const nodes = new Map<number, NodeStat>();
  const tables: StepTables[] = [];
  for (const step of steps) {
    for (const zone of step.zones) {
      const key = `${zone.node}/${zone.zone}`;
      if (zone.spannedPages === 0) zones.delete(key);
      else zones.set(key, zone);
    }
    for (const node of step.nodes) nodes.set(node.node, node);
    tables.push({
      zones: [...zones.values()].sort((a, b) => a.node - b.node || zoneOrder(a) - zoneOrder(b)),
      nodes: [...nodes.values()].sort((a, b) => a.node - b.node),
    });
  }
  cache.set(steps, tables);
  return tables;
}

const ORDER = ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'];
const zoneOrder = (zone: ZoneStat) => ORDER.indexOf(zone.zone);

/** Step `index` with its full zone and node tables (format 1's shape). */
export function fullStep(result: Pick<Result, 'steps'>, index: number): Step {
  const step = result.steps[index]!;
  const tables = stepTables(result.steps)[index]!;
  return { ...step, zones: tables.zones, nodes: tables.nodes };
}
