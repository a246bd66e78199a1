// The worker's dense CRF runs in WebAssembly SIMD (core/crfWasm.ts: the same lattices, a fraction of the
// time; docs/crf.md). The module is fetched at start-up; should it fail, the CRF stays in TypeScript and the
// reason is logged, since the refined labels are still right, only slower.
import crfWasmUrl from '../../build/crf.wasm?url';
import { CRF_DEFAULTS, crfKernels, useCrfWasm } from '../core/denseCrf.ts';
import { CrfWasm } from '../core/crfWasm.ts';
import { loadWasmKernel } from './wasmKernel.ts';

/**
 * A few small constructions before the first photo: the browser first runs WebAssembly with its baseline
 * compiler and swaps in optimised code only for later calls, so without this the first refinement would run
 * the lattice's construction, its costliest part, unoptimised.
 */
function warmUp(): void {
  const width = 96;
  const height = 72;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < data.length; p += 4) {
    const x = (p >> 2) % width;
    const y = Math.floor((p >> 2) / width);
    data[p] = (x * 5) & 255;
    data[p + 1] = (y * 7) & 255;
    data[p + 2] = ((x + y) * 3) & 255;
    data[p + 3] = 255;
  }
  for (let run = 0; run < 3; run++) crfKernels({ width, height, data }, CRF_DEFAULTS);
}

export const crfKernelReady: Promise<void> = loadWasmKernel(crfWasmUrl, 'dense CRF', async (bytes) => {
  useCrfWasm(await CrfWasm.instantiate(bytes));
  warmUp();
});
