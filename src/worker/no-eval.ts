/**
 * Zod compiles a fast path for object schemas with `new Function` when it may, and probes for
 * that as soon as a schema is built. The page's Content Security Policy forbids eval, and the
 * probe, though caught, is reported as a violation; so the worker turns the fast path off before
 * the engine's schema is built: this module is the worker entry's first import.
 */
import { config } from 'zod';

config({ jitless: true });
