/**
 * Shared by the importer's tests: the fixture files, and the zones of a step read the same way
 * from result format 1 (every step lists every zone) and format 2 (a step lists only the zones
 * that changed), by carrying each zone's last figures forward.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZONES } from '../engine/arch.ts';
import type { Result, ZoneStat } from '../engine/result.ts';

export const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

/** Every zone that spans pages after step `index` (0 is boot), in node and zone order. */
export function zonesAt(result: Result, index: number): ZoneStat[] {
  const zones = new Map<string, ZoneStat>();
  for (const step of result.steps.slice(0, index + 1))
    for (const zone of step.zones) zones.set(`${zone.node}/${zone.zone}`, zone);
  return [...zones.values()]
    .filter((zone) => zone.spannedPages > 0)
    .sort((a, b) => a.node - b.node || ZONES.indexOf(a.zone) - ZONES.indexOf(b.zone));
}

export const lastZones = (result: Result) => zonesAt(result, result.steps.length - 1);
