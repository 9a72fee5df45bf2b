/**
 * Share links decoded and validated in one call, for Node (tests, the command line): it binds the
 * validator statically. The page reads links through `checkDecoded` and the lazily loaded
 * validator instead, so that zod stays out of its first chunk.
 */
import { validateScenario } from '../engine/scenario/validate.ts';
import { checkDecoded, decodeShareFragment, type ValidatedDecodeResult } from './url-codec.ts';

export function decodeAndValidate(fragment: string): ValidatedDecodeResult {
  return checkDecoded(decodeShareFragment(fragment), validateScenario);
}
