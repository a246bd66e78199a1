// The worker's SLIC runs in WebAssembly SIMD (core/slicWasm.ts: same labels, a fraction of the time). The
// module is fetched once at start-up, before any request runs; should it fail, SLIC stays in TypeScript and
// the reason is logged, since superpixels are still right, only slower.
import slicWasmUrl from '../../build/slic.wasm?url';
import { prepareSlic, slic, useSlicWasm } from '../core/slic.ts';
import { SlicWasm } from '../core/slicWasm.ts';
import { loadWasmKernel } from './wasmKernel.ts';

const WARM_WIDTH = 500;
const WARM_HEIGHT = 375;

/**
 * A few whole SLIC runs at a photo's size before the first photo: the browser first runs WebAssembly with its
 * baseline compiler, swaps in optimised code only for later calls, and grows the module's memory on first use,
 * so without this the first photo's SLIC is the slow one (150 ms against 30 in bench:studio). The photo is
 * a Uint8ClampedArray like the decoded ones, and smooth regions rather than noise: on noise the connectivity
 * step merges thousands of fragments, 20 ms a run where a photo takes 1.3.
 */
function warmUp(): void {
  const data = new Uint8ClampedArray(WARM_WIDTH * WARM_HEIGHT * 4);
  for (let y = 0, p = 0; y < WARM_HEIGHT; y++) {
    for (let x = 0; x < WARM_WIDTH; x++, p += 4) {
      const tile = (x >> 5) * 7 + (y >> 5) * 13;
      data[p] = (tile * 37 + x) & 255;
      data[p + 1] = (tile * 59 + y) & 255;
      data[p + 2] = (tile * 83) & 255;
      data[p + 3] = 255;
    }
  }
  for (let run = 0; run < 3; run++) slic({ width: WARM_WIDTH, height: WARM_HEIGHT, data }, { k: 500 });
  prepareSlic(WARM_WIDTH, WARM_HEIGHT);
}

/** After a SLIC, the next one's label array is readied once the worker has a moment (a photo often comes back with another k). */
export function afterSlic(width: number, height: number): void {
  setTimeout(() => prepareSlic(width, height), 0);
}

export const slicKernelReady: Promise<void> = loadWasmKernel(slicWasmUrl, 'SLIC', async (bytes) => {
  useSlicWasm(await SlicWasm.instantiate(bytes));
  warmUp();
});
