/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation: SharedArrayBuffer for the CPU kernels' helper threads
// (src/worker/cpu-threads.ts). Everything the app loads is same-origin. A static host must send
// the same two headers, or the CPU backend runs on one thread.
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  // Pre-bundle what the page and the search worker import, so the dev server does not discover
  // a dependency late and reload the page mid-run.
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', 'fflate', 'd3', 'react', 'react-dom/client', 'react/jsx-runtime'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    environment: 'node',
    // as the CLIs: relaxed SIMD on before the CPU kernels compile (Node 20)
    setupFiles: ['src/cli/wasm-flags.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two cores here and in CI: the tfjs CPU backend is single-threaded per process.
    maxWorkers: 2,
  },
});
