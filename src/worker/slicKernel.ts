// The worker's SLIC runs in WebAssembly SIMD (core/slicWasm.ts: same labels, a fraction of the time). The
// module is fetched once at start-up, before any request runs; should it fail, SLIC stays in TypeScript and
// the reason is logged, since superpixels are still right, only slower.
import slicWasmUrl from '../../build/slic.wasm?url';
import { useSlicWasm } from '../core/slic.ts';
import { SlicWasm } from '../core/slicWasm.ts';

export const slicKernelReady: Promise<void> = fetch(slicWasmUrl)
  .then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.arrayBuffer();
  })
  .then((bytes) => SlicWasm.instantiate(bytes))
  .then(useSlicWasm)
  .catch((err: unknown) => console.warn(`SLIC WebAssembly unavailable, using TypeScript: ${(err as Error).message}`));
