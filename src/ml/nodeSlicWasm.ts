// The WebAssembly SLIC for Node (CLI, benchmarks, tests): the module `npm run build:wasm` compiled, from disk.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SlicWasm } from '../core/slicWasm.ts';

export const SLIC_WASM_PATH = fileURLToPath(new URL('../../build/slic.wasm', import.meta.url));

export async function loadSlicWasmFromDisk(): Promise<SlicWasm> {
  const bytes = await readFile(SLIC_WASM_PATH).catch(() => {
    throw new Error(`${SLIC_WASM_PATH} is missing: run \`npm run build:wasm\` (part of npm ci)`);
  });
  return SlicWasm.instantiate(bytes);
}
