// The WebAssembly dense CRF for Node (CLI, benchmarks, tests): the module `npm run build:wasm` compiled, from disk.
import { fileURLToPath } from 'node:url';
import { CrfWasm } from '../core/crfWasm.ts';
import { readBuiltWasm } from './wasmFromDisk.ts';

export const CRF_WASM_PATH = fileURLToPath(new URL('../../build/crf.wasm', import.meta.url));

export async function loadCrfWasmFromDisk(): Promise<CrfWasm> {
  return CrfWasm.instantiate(await readBuiltWasm(CRF_WASM_PATH));
}
