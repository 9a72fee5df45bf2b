/** The lazily loaded validator chunk's entry (`validation.ts` loads it): zod without eval, then the schema. */
import './no-eval.ts';

export { validateScenario } from '../engine/scenario/validate.ts';
