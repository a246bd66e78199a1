// The WebAssembly SLIC for Node (CLI, benchmarks, tests): the module `npm run build:wasm` compiled, from disk.
import { fileURLToPath } from 'node:url';
import { SlicWasm } from '../core/slicWasm.ts';
import { readBuiltWasm } from './wasmFromDisk.ts';

export const SLIC_WASM_PATH = fileURLToPath(new URL('../../build/slic.wasm', import.meta.url));

export async function loadSlicWasmFromDisk(): Promise<SlicWasm> {
  return SlicWasm.instantiate(await readBuiltWasm(SLIC_WASM_PATH));
}
