// What every worker handler shares: the model registry (the backbone is its first entry) and the per-photo cache. Each domain (model,
// superpixels, segmentation, …) keeps its per-photo data in its own slot of a PhotoEntry; evicting a photo
// disposes every slot's tensors.
import type { Backbone, BackboneOutputs } from '../ml/backbone.ts';
import { disposeOutputs, outputTensors } from '../ml/backbone.ts';
import type { Size } from '../core/modelInputSize.ts';
import type { RgbaImage, SuperpixelMap } from '../core/types.ts';
import { PhotoCache } from './photoCache.ts';
import { RetainedRows } from './retainedRows.ts';
import type { LabelAeManifest } from '../ml/labelAeManifest.ts';
import type { DepthManifest } from '../ml/depthManifest.ts';
import type { SegmentationDepthManifest } from '../ml/segmentationDepthManifest.ts';
import { BACKBONE, backboneEntry, depthEntry, labelAutoencoderEntry, segmentationDepthEntry, trainableBackboneEntry } from '../ml/modelEntries.ts';
import { ModelRegistry } from '../ml/modelRegistry.ts';
import { backboneManifest, bundledModelSource } from './bundledModel.ts';
import labelAeManifest from '../../models/label-ae.manifest.json';
import depthManifest from '../../models/depth.manifest.json';
import segmentationDepthManifest from '../../models/seg-depth.manifest.json';
import { WorkerError, type Progress, type Requests, type RequestType, type WorkerEvent } from './protocol.ts';

export interface Disposable {
  dispose(): void;
  /** How many tensors it holds: the memory report tells photos' tensors, bounded by the cache, from a leak. */
  readonly tensors: number;
}

export interface PhotoEntry {
  /** The working copy of the photo's pixels. */
  image?: RgbaImage;
  backbone?: { inputSize: Size; outputs: BackboneOutputs };
  superpixels?: SuperpixelMap;
  /** Identifies `superpixels` to the UI, which paints per-superpixel results only on the same map. */
  mapId?: number;
  /** Domain-owned data holding tensors (features, heads, …), keyed by domain. */
  slots: Map<string, Disposable>;
}

let emit: (event: WorkerEvent) => void = () => undefined;

/** Where the worker's unasked events go (the worker's postMessage; nothing in tests). */
export function setEventSink(sink: (event: WorkerEvent) => void): void {
  emit = sink;
}

export const context: {
  models: ModelRegistry;
  photos: PhotoCache<PhotoEntry>;
  retained: RetainedRows;
  /** Runs the requests waiting now from inside a long one, between its steps (the worker's queue sets it). */
  yieldToForeground: () => Promise<void>;
} = {
  models: new ModelRegistry(bundledModelSource, (status) => emit({ kind: 'model-status', status })).register(backboneEntry(backboneManifest))
    .register(labelAutoencoderEntry(labelAeManifest as unknown as LabelAeManifest))
    .register(depthEntry(depthManifest as unknown as DepthManifest))
    .register(segmentationDepthEntry(segmentationDepthManifest as unknown as SegmentationDepthManifest))
    .register(trainableBackboneEntry(backboneManifest, 'none')),
  photos: new PhotoCache<PhotoEntry>(6, (e, photoId) => {
    if (e.backbone) disposeOutputs(e.backbone.outputs);
    for (const s of e.slots.values()) s.dispose();
    emit({ kind: 'photo-evicted', photoId });
  }),
  retained: new RetainedRows(),
  yieldToForeground: () => Promise.resolve(),
};

export function requireBackbone(): Backbone {
  const backbone = context.models.loaded<Backbone>(BACKBONE);
  if (!backbone) throw new WorkerError('no-model', 'the model is not loaded yet');
  return backbone;
}

/** Tensors the cached photos hold: their backbone passes and every slot. */
export function photoTensors(): number {
  let n = 0;
  for (const e of context.photos.values()) {
    if (e.backbone) n += outputTensors(e.backbone.outputs);
    for (const s of e.slots.values()) n += s.tensors;
  }
  return n;
}

/** The photo's entry, created empty on first use. */
export function photoEntry(photoId: string): PhotoEntry {
  let e = context.photos.get(photoId);
  if (!e) {
    e = { slots: new Map() };
    context.photos.set(photoId, e);
  }
  return e;
}

/** The photo's superpixels, or a not-resident error the UI answers by analysing the photo again. */
export function requireSuperpixels(photoId: string): { entry: PhotoEntry; map: SuperpixelMap; mapId: number } {
  const entry = context.photos.get(photoId);
  if (!entry?.superpixels || entry.mapId === undefined) throw new WorkerError('not-resident', 'the worker holds no superpixels of this photo (analyse it first)');
  return { entry, map: entry.superpixels, mapId: entry.mapId };
}

export function requireAnalysed(photoId: string): { inputSize: Size; outputs: BackboneOutputs } {
  const b = context.photos.get(photoId)?.backbone;
  if (!b) throw new WorkerError('not-resident', 'this photo has not been analysed yet');
  return b;
}

/**
 * Typed arrays in a handler's result are transferred to the UI, which detaches them here: return copies of
 * anything the worker keeps.
 */
export type Handler<K extends RequestType> = (
  payload: Requests[K]['req'],
  progress: (p: Progress) => void,
  signal: AbortSignal,
) => Promise<Requests[K]['res']>;
export type Handlers<K extends RequestType> = { [P in K]: Handler<P> };
