// The WebAssembly dense CRF for Node (CLI, benchmarks, tests): the module `npm run build:wasm` compiled, from disk.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CrfWasm } from '../core/crfWasm.ts';

export const CRF_WASM_PATH = fileURLToPath(new URL('../../build/crf.wasm', import.meta.url));

export async function loadCrfWasmFromDisk(): Promise<CrfWasm> {
  const bytes = await readFile(CRF_WASM_PATH).catch(() => {
    throw new Error(`${CRF_WASM_PATH} is missing: run \`npm run build:wasm\` (part of npm ci)`);
  });
  return CrfWasm.instantiate(bytes);
}
