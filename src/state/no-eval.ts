/**
 * Zod compiles a fast path for object schemas with `new Function` when it may, and probes for
 * that as soon as a schema is built. The page's Content Security Policy forbids eval, and the
 * probe, though caught, is reported as a violation; so the page's lazily loaded validator turns
 * the fast path off before the engine's schema is built: this module is `validator.ts`'s first
 * import (the worker has the same one, `worker/no-eval.ts`, as layers keep them apart).
 */
import { config } from 'zod';

config({ jitless: true });
