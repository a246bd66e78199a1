// The worker's SLIC runs in WebAssembly SIMD (core/slicWasm.ts: same labels, a fraction of the time). The
// module is fetched once at start-up, before any request runs; should it fail, SLIC stays in TypeScript and
// the reason is logged, since superpixels are still right, only slower.
import slicWasmUrl from '../../build/slic.wasm?url';
import { slic, useSlicWasm } from '../core/slic.ts';
import { SlicWasm } from '../core/slicWasm.ts';

/**
 * A few whole SLIC runs (clustering, connectivity, statistics) at a photo's size before the first photo: the
 * browser first runs WebAssembly with its baseline compiler and JavaScript in its interpreter, swaps in
 * optimised code only for later calls, and grows the module's memory on first use, so without this the first
 * photo's SLIC is the slow one (150 ms against 30 in bench:studio).
 */
function warmUp(): void {
  const width = 500;
  const height = 375;
  const data = new Uint8Array(width * height * 4).map((_, i) => (i * 37 + (i >> 11) * 11) & 255);
  for (let run = 0; run < 3; run++) slic({ width, height, data }, { k: 500 });
}

export const slicKernelReady: Promise<void> = fetch(slicWasmUrl)
  .then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.arrayBuffer();
  })
  .then((bytes) => SlicWasm.instantiate(bytes))
  .then((kernel) => {
    useSlicWasm(kernel);
    warmUp();
  })
  .catch((err: unknown) => console.warn(`SLIC WebAssembly unavailable, using TypeScript: ${(err as Error).message}`));
