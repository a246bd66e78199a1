// The browser's file source for the model registry: every file under models/ ships with the app as a static
// asset (Vite bundles them), so the studio works offline with nothing downloaded at run time, and a model
// added to models/ is servable without touching this file.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import manifestJson from '../../models/backbone.manifest.json';
import type { BackboneManifest } from '../ml/backboneManifest.ts';
import type { ModelFileSource } from '../ml/modelRegistry.ts';

export const backboneManifest = manifestJson as unknown as BackboneManifest;

const urls = import.meta.glob('../../models/**/*.{json,bin}', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

export function useLocalWasm(): void {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  });
}

export const bundledModelSource: ModelFileSource = async (path, onProgress) => {
  const url = urls[`../../models/${path}`];
  if (!url) throw new Error(`models/${path} is not bundled with the studio`);
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`could not load models/${path} (HTTP ${res.status})`);
  const total = Number(res.headers.get('content-length')) || 0;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    if (total) onProgress(received / total);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  onProgress(1);
  return bytes.buffer;
};
