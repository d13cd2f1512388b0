import { defineConfig } from 'vite';

// The dashboard is served by `vigil serve` from the same origin under a strict
// Content-Security-Policy (script-src 'self'; style-src 'self'): nothing may be inlined
// into index.html, so the module-preload polyfill is off and every asset is a file.
export default defineConfig({
  base: '/',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: false,
  },
});
