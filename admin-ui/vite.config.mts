import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Served by the API itself at /admin (src/admin/admin-ui.ts), so every asset URL
 * is absolute under /admin/: index.html also answers deep links like
 * /admin/history/12. Built into dist/admin, beside the API's dist/src, so the
 * image copies it with the rest of dist.
 */
export default defineConfig({
  root,
  base: '/admin/',
  // Preact's automatic JSX runtime (no React, no compat layer).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/admin', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No source maps in the image: the bundle is small and readable enough.
    sourcemap: false,
  },
  server: {
    // npm run dev:ui: the page from Vite with live reload, the API from a service on :8000.
    proxy: Object.fromEntries(
      ['/departments', '/jobs', '/employees', '/ingest', '/ingestions', '/metrics', '/docs-json'].map((path) => [path, 'http://127.0.0.1:8000']),
    ),
  },
  test: {
    root,
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
  },
});
