// The UI side of the worker protocol: promises per request, progress callbacks, errors as WorkerErrors with
// the worker's code and message (never a lost promise), and the worker's unasked events.
import { WorkerError, type Progress, type RequestMessage, type RequestType, type Requests, type ResponseMessage, type WorkerEvent } from './protocol.ts';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (p: Progress) => void;
}

export function isCancelled(err: unknown): boolean {
  return err instanceof WorkerError && err.code === 'cancelled';
}

export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: WorkerEvent) => void>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (e: MessageEvent<ResponseMessage>) => this.receive(e.data);
    worker.onerror = (e) => this.failAll(new WorkerError('failed', `worker crashed: ${e.message || 'unknown error'}`));
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

  /** Listens to the worker's events; returns the unsubscribe function. */
  onEvent(listener: (e: WorkerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(msg: ResponseMessage): void {
    if (msg.type === 'event') {
      for (const l of this.listeners) l(msg.event);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.(msg.progress);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.payload);
    else p.reject(new WorkerError(msg.code, msg.message));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  terminate(): void {
    this.failAll(new WorkerError('failed', 'worker stopped'));
    this.worker.terminate();
  }
}
