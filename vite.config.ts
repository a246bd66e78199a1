import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation lets tfjs use its threaded WASM build (platform-notes.md).
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
// Vite 8's default minifier breaks tfjs's threaded WASM worker code, after which setBackend('wasm') hangs.
const minify = { compress: false, mangle: true } as const;

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation, port: 5173 },
  preview: { headers: isolation, port: 4173 },
  worker: { format: 'es', rolldownOptions: { output: { minify } } },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, rolldownOptions: { output: { minify } } },
});
