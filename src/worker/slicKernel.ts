// The worker's SLIC runs in WebAssembly SIMD (core/slicWasm.ts: same labels, a fraction of the time). The
// module is fetched once at start-up, before any request runs; should it fail, SLIC stays in TypeScript and
// the reason is logged, since superpixels are still right, only slower.
import slicWasmUrl from '../../build/slic.wasm?url';
import { slicParams, useSlicWasm } from '../core/slic.ts';
import { SlicWasm } from '../core/slicWasm.ts';

/**
 * A few runs on a small image before the first photo: the browser first runs WebAssembly with its baseline
 * compiler and swaps in optimised code only for later calls, so without this the first photo's SLIC is the slow one.
 */
function warmedUp(kernel: SlicWasm): SlicWasm {
  const width = 96;
  const height = 72;
  const data = new Uint8Array(width * height * 4).map((_, i) => (i * 37 + (i >> 9) * 11) & 255);
  for (let run = 0; run < 4; run++) kernel.clusters({ width, height, data }, slicParams({ k: 40 }));
  return kernel;
}

export const slicKernelReady: Promise<void> = fetch(slicWasmUrl)
  .then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.arrayBuffer();
  })
  .then((bytes) => SlicWasm.instantiate(bytes))
  .then((kernel) => useSlicWasm(warmedUp(kernel)))
  .catch((err: unknown) => console.warn(`SLIC WebAssembly unavailable, using TypeScript: ${(err as Error).message}`));
