/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The Content Security Policy: script, workers and everything else from the page's own origin,
 * no inline script, no eval (zod's eval fast path is off: src/worker/no-eval.ts). The built page
 * carries it as a meta tag, so any static host applies it; `vite preview` also sends it as a
 * header, with frame-ancestors, which a meta tag cannot carry. The dev server has none: its hot
 * reload injects inline scripts.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const cspMeta = (): Plugin => ({
  name: 'csp-meta',
  apply: 'build',
  // Right after the charset, before any script: a policy covers only what follows it.
  transformIndexHtml: (html) =>
    html.replace(
      /<meta charset="UTF-8" \/>/,
      `$&\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`,
    ),
});

// One config for the app, the worker and the unit tests. The engine tests run in Node:
// the engine must not need a DOM, and running it without one is how we keep that true.
export default defineConfig({
  plugins: [react(), cspMeta()],
  base: './',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  server: { port: 5173, host: '127.0.0.1' },
  preview: {
    port: 4173,
    host: '127.0.0.1',
    strictPort: true,
    headers: {
      'Content-Security-Policy': `${CSP}; frame-ancestors 'none'`,
      'X-Content-Type-Options': 'nosniff',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
