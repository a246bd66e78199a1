// The Web Worker that owns tfjs and every heavy computation; the UI thread only draws.
import { modelHandlers } from './modelHandlers.ts';
import { superpixelHandlers } from './superpixelHandlers.ts';
import { segmentationHandlers } from './segmentationHandlers.ts';
import { ablationHandlers } from './ablationHandlers.ts';
import { depthHandlers } from './depthHandlers.ts';
import { finetuneHandlers } from './finetuneHandlers.ts';
import { crfHandlers } from './crfHandlers.ts';
import { labelSpaceHandlers } from './labelSpaceHandlers.ts';
import { tagClassHandlers } from './tagClassHandlers.ts';
import type { Handler, Handlers } from './workerContext.ts';
import { WorkerError, type RequestMessage, type Requests, type RequestType, type ResponseMessage } from './protocol.ts';
import { context, setEventSink } from './workerContext.ts';
import { NoLabelsError } from '../ml/segmentationEngine.ts';
import { slicKernelReady } from './slicKernel.ts';
import { RequestQueue } from './requestQueue.ts';

const handlers: Handlers<RequestType> = { ...modelHandlers, ...superpixelHandlers, ...segmentationHandlers, ...ablationHandlers, ...depthHandlers, ...crfHandlers, ...labelSpaceHandlers, ...finetuneHandlers, ...tagClassHandlers };

function post(msg: ResponseMessage, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(msg, transfer);
}

setEventSink((event) => post({ type: 'event', event }));

/** Typed arrays in a result are transferred, not copied. */
function transferables(value: unknown): Transferable[] {
  if (!value || typeof value !== 'object') return [];
  if (ArrayBuffer.isView(value)) return [value.buffer as ArrayBuffer];
  return Object.values(value).flatMap(transferables);
}

// Previews nobody waits on wait for a quiet moment (requestQueue.ts); cancels bypass the queue so they reach
// a running request.
const BACKGROUND: ReadonlySet<RequestType> = new Set<RequestType>(['depth', 'refine', 'label-space', 'label-search']);
/** Longer than the UI takes to ask for the next step after a result (tens of ms), short enough to go unnoticed. */
const BACKGROUND_IDLE_MS = 100;
const queue = new RequestQueue(BACKGROUND_IDLE_MS, slicKernelReady);
context.yieldToForeground = () => queue.yieldToForeground();
const controllers = new Map<number, AbortController>();

self.onmessage = (e: MessageEvent<RequestMessage>) => {
  const msg = e.data;
  if (msg.type === 'cancel') {
    controllers.get(msg.id)?.abort();
    return;
  }
  const { id, type, payload } = msg;
  const controller = new AbortController();
  controllers.set(id, controller);
  queue.push(async () => {
    try {
      controller.signal.throwIfAborted();
      const handler = handlers[type] as Handler<typeof type>;
      const result = await handler(payload as never, (progress) => post({ id, type: 'progress', progress }), controller.signal);
      post({ id, type: 'result', payload: result }, [...new Set(transferables(result))]);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (controller.signal.aborted) post({ id, type: 'error', code: 'cancelled', message: 'cancelled' });
      else post({ id, type: 'error', code: err instanceof WorkerError ? err.code : err instanceof NoLabelsError ? 'no-labels' : 'failed', message });
    } finally {
      controllers.delete(id);
    }
  }, BACKGROUND.has(type) && !(type === 'depth' && (payload as Requests['depth']['req']).refresh));
};
