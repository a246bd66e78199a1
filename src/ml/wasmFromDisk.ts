// The WebAssembly kernels for Node (CLI, benchmarks, tests): the modules `npm run build:wasm` compiled, from disk.
import { readFile } from 'node:fs/promises';

/** The bytes of the module at `path`, or an error that says how to build it. */
export function readBuiltWasm(path: string): Promise<Buffer<ArrayBuffer>> {
  return readFile(path).catch(() => {
    throw new Error(`${path} is missing: run \`npm run build:wasm\` (part of npm ci)`);
  });
}
