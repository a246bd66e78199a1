// The Web Worker that owns tfjs and every heavy computation; the UI thread only draws.
import { modelHandlers } from './modelHandlers.ts';
import { superpixelHandlers } from './superpixelHandlers.ts';
import type { Handler, Handlers } from './workerContext.ts';
import type { RequestMessage, RequestType, ResponseMessage } from './protocol.ts';

const handlers: Handlers<RequestType> = { ...modelHandlers, ...superpixelHandlers };

function post(msg: ResponseMessage, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(msg, transfer);
}

/** Typed arrays in a result are transferred, not copied. */
function transferables(value: unknown): Transferable[] {
  if (!value || typeof value !== 'object') return [];
  if (ArrayBuffer.isView(value)) return [value.buffer as ArrayBuffer];
  return Object.values(value).flatMap(transferables);
}

// Requests run one at a time: tfjs work is single-threaded anyway, and ordering keeps caches consistent.
let queue: Promise<void> = Promise.resolve();

self.onmessage = (e: MessageEvent<RequestMessage>) => {
  const { id, type, payload } = e.data;
  queue = queue.then(async () => {
    try {
      const handler = handlers[type] as Handler<typeof type>;
      const result = await handler(payload as never, (progress) => post({ id, type: 'progress', progress }));
      post({ id, type: 'result', payload: result }, [...new Set(transferables(result))]);
    } catch (err) {
      post({ id, type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  });
};
