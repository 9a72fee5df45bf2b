/**
 * The window classification's context is shared with the map's tiles only within one event: a
 * context read at an earlier event describes memory that has changed since.
 */
import { describe, expect, it } from 'vitest';
import { boot } from '../model/boot.ts';
import { Machine } from '../model/machine.ts';
import { validateScenario } from '../scenario/validate.ts';
import { q35 } from '../testing.ts';
import { classifyWindows, contextOf, windowPagesOf } from './windows.ts';

function bootedMachine(): Machine {
  const validation = validateScenario({ version: 1, machine: q35(6), events: [] });
  if (!validation.ok) throw new Error('scenario');
  const machine = new Machine(validation.scenario);
  boot(machine);
  return machine;
}

describe('the window context', () => {
  it('is the classification’s own at the same event, and fresh at the next', () => {
    const machine = bootedMachine();
    const windowPages = windowPagesOf(machine);
    classifyWindows(machine, windowPages);
    const cached = machine.windowsCache!.context;
    expect(contextOf(machine, windowPages)).toBe(cached);
    machine.currentEvent += 1;
    const fresh = contextOf(machine, windowPages);
    expect(fresh).not.toBe(cached);
    expect(fresh.kernelAllocs.toArray()).toEqual(cached.kernelAllocs.toArray());
  });
});
