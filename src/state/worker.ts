// The one worker of the studio, created lazily so tests and the first paint don't wait for it.
import { WorkerClient } from '../worker/client.ts';

let client: WorkerClient | undefined;

export function studioWorker(): WorkerClient {
  client ??= new WorkerClient(new Worker(new URL('../worker/studio.worker.ts', import.meta.url), { type: 'module', name: 'studio' }));
  return client;
}
