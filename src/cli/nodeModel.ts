// The backbone under Node for CLI commands: the wasm backend (no tfjs-node, whose install downloads
// binaries), loaded lazily so commands that need no model never import tfjs.
import type { Backbone } from '../ml/backbone.ts';
import type { BackendChoice } from '../ml/backendNames.ts';

export async function loadNodeModel(): Promise<{ backbone: Backbone; backend: BackendChoice; loadMs: number }> {
  const t0 = performance.now();
  const [{ selectBackend }, { loadBackboneFromDisk }] = await Promise.all([import('../ml/backend.ts'), import('../ml/loadFromDisk.ts')]);
  const backend = await selectBackend('wasm');
  const backbone = await loadBackboneFromDisk();
  return { backbone, backend, loadMs: performance.now() - t0 };
}
