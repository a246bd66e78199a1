// The UI side of the worker protocol: promises per request, progress callbacks, errors as rejections with
// the worker's message (never a lost promise).
import { CANCELLED, type Progress, type RequestMessage, type RequestType, type Requests, type ResponseMessage } from './protocol.ts';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (p: Progress) => void;
}

export function isCancelled(err: unknown): boolean {
  return err instanceof Error && err.message === CANCELLED;
}

export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (e: MessageEvent<ResponseMessage>) => this.receive(e.data);
    worker.onerror = (e) => this.failAll(new Error(`worker crashed: ${e.message || 'unknown error'}`));
  }

  request<K extends RequestType>(
    type: K,
    payload: Requests[K]['req'],
    opts: { onProgress?: (p: Progress) => void; transfer?: Transferable[]; signal?: AbortSignal } = {},
  ): Promise<Requests[K]['res']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: opts.onProgress });
      this.worker.postMessage({ id, type, payload } as RequestMessage, opts.transfer ?? []);
      opts.signal?.addEventListener('abort', () => this.worker.postMessage({ id, type: 'cancel' } satisfies RequestMessage), { once: true });
    });
  }

  private receive(msg: ResponseMessage): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.(msg.progress);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.payload);
    else p.reject(new Error(msg.message));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  terminate(): void {
    this.failAll(new Error('worker stopped'));
    this.worker.terminate();
  }
}
