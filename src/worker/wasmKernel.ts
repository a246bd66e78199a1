// The worker's WebAssembly kernels (SLIC, dense CRF) are fetched once at start-up. Should one fail, its
// TypeScript version stays in use and the reason is logged: results are still right, only slower.

/** Fetches the bundled module at `url` and hands its bytes to `start` (instantiate, install, warm up). */
export function loadWasmKernel(url: string, what: string, start: (bytes: ArrayBuffer) => Promise<void>): Promise<void> {
  return fetch(url)
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.arrayBuffer();
    })
    .then(start)
    .catch((err: unknown) => console.warn(`${what} WebAssembly unavailable, using TypeScript: ${(err as Error).message}`));
}
