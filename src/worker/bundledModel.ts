// The browser's side of the one model loader: the converted backbone ships with the app as static assets
// (models/ is bundled by Vite), so the studio works offline with nothing downloaded at run time.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import modelJson from '../../models/backbone/model.json';
import manifestJson from '../../models/backbone.manifest.json';
import weightsUrl from '../../models/backbone/model.bin?url';
import type { BackboneManifest } from '../ml/backboneManifest.ts';
import type { ModelFiles } from '../ml/modelArtifacts.ts';

export const manifest = manifestJson as unknown as BackboneManifest;

export function useLocalWasm(): void {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  });
}

export async function fetchModelFiles(onProgress: (fraction: number) => void): Promise<ModelFiles> {
  const res = await fetch(weightsUrl);
  if (!res.ok || !res.body) throw new Error(`could not load the backbone weights (HTTP ${res.status})`);
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
  const weights = new Uint8Array(received);
  let offset = 0;
  for (const c of chunks) {
    weights.set(c, offset);
    offset += c.length;
  }
  return { modelJson: modelJson as unknown as ModelFiles['modelJson'], weights: weights.buffer };
}
