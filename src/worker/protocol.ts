// The typed request/response protocol between the UI and the worker that owns tfjs: each request carries
// an id; the worker answers with progress events, then exactly one result or error for that id. Each domain
// declares its requests in its own *Protocol.ts; they are joined here.
import type { ModelRequests } from './modelProtocol.ts';
import type { SuperpixelRequests } from './superpixelProtocol.ts';
import type { SegmentationRequests } from './segmentationProtocol.ts';
import type { AblationRequests } from './ablationProtocol.ts';

export type { ModelInfo, ScalarMap } from './modelProtocol.ts';

export type Requests = ModelRequests & SuperpixelRequests & SegmentationRequests & AblationRequests;

export type RequestType = keyof Requests;

export type RequestMessage =
  | { [K in RequestType]: { id: number; type: K; payload: Requests[K]['req'] } }[RequestType]
  /** Aborts request `id` (a running one sees its AbortSignal fire; a queued one never starts). */
  | { id: number; type: 'cancel' };

export interface Progress {
  message: string;
  /** 0..1 when known. */
  fraction?: number;
}

/** The error message of a cancelled request, so callers can tell a cancel from a failure. */
export const CANCELLED = 'cancelled';

export type ResponseMessage =
  | { id: number; type: 'progress'; progress: Progress }
  | { id: number; type: 'result'; payload: unknown }
  | { id: number; type: 'error'; message: string };
