// The typed request/response protocol between the UI and the worker that owns tfjs: each request carries
// an id; the worker answers with progress events, then exactly one result or error for that id. Errors carry
// a code (never a message to match); things the UI did not ask for (a photo evicted from the worker's cache)
// arrive as typed events. Each domain declares its requests in its own *Protocol.ts; they are joined here.
import type { ModelRequests } from './modelProtocol.ts';
import type { SuperpixelRequests } from './superpixelProtocol.ts';
import type { SegmentationRequests } from './segmentationProtocol.ts';
import type { AblationRequests } from './ablationProtocol.ts';
import type { DepthRequests } from './depthProtocol.ts';
import type { CrfRequests } from './crfProtocol.ts';
import type { LabelSpaceRequests } from './labelSpaceProtocol.ts';
import type { FinetuneRequests } from './finetuneProtocol.ts';
import type { TagClassRequests } from './tagClassProtocol.ts';
import type { ModelStatus } from '../ml/modelRegistry.ts';

export type { ModelInfo, ScalarMap } from './modelProtocol.ts';

export type Requests = ModelRequests & SuperpixelRequests & SegmentationRequests & AblationRequests & DepthRequests & CrfRequests & LabelSpaceRequests & FinetuneRequests & TagClassRequests;

export type RequestType = keyof Requests;

export type RequestMessage =
  | { [K in RequestType]: { id: number; type: K; payload: Requests[K]['req'] } }[RequestType]
  /** Aborts request `id` (a running one sees its AbortSignal fire; a queued one never starts). */
  | { id: number; type: 'cancel' };

export interface Progress {
  message: string;
  /** 0..1 when known. */
  fraction?: number;
  /** A training step's loss, for a live loss curve. */
  loss?: number;
}

/**
 * cancelled: the caller aborted it; not-resident: the worker holds no working copy of the photo (never
 * analysed, or evicted from its bounded cache) — analyse it again; no-model: the backbone is not loaded;
 * no-labels: nothing to learn from yet; failed: anything else (the message says what).
 */
export type ErrorCode = 'cancelled' | 'not-resident' | 'no-model' | 'no-labels' | 'stale' | 'failed';

/** An error that crosses the worker boundary with its code. */
export class WorkerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What the worker tells the UI unasked. */
export type WorkerEvent = { kind: 'photo-evicted'; photoId: string } | { kind: 'model-status'; status: ModelStatus };

export type ResponseMessage =
  | { id: number; type: 'progress'; progress: Progress }
  | { id: number; type: 'result'; payload: unknown }
  | { id: number; type: 'error'; code: ErrorCode; message: string }
  | { type: 'event'; event: WorkerEvent };
