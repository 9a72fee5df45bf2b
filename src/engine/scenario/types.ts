import type { ParsedScenario } from './schema.ts';

/** A scenario after validation: every default filled, every size in bytes. */
export type Scenario = ParsedScenario;
export type ScenarioEvent = Scenario['events'][number];
export type EventOp = ScenarioEvent['op'];
export type EventOf<Op extends EventOp> = Extract<ScenarioEvent, { op: Op }>;
export type AddVia = EventOf<'add'>['via'];
export type OnlineType = EventOf<'online'>['as'];

export interface ValidationError {
  /** Field path as the format spells it: `events[2].size`, or `(scenario)` for the whole. */
  path: string;
  message: string;
}

export type Validation =
  { ok: true; scenario: Scenario } | { ok: false; errors: ValidationError[] };

export const formatValidationError = (error: ValidationError) => `${error.path}: ${error.message}`;
