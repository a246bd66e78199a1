// What every worker handler shares: the loaded backbone and the per-photo cache. Each domain (model,
// superpixels, segmentation, …) keeps its per-photo data in its own slot of a PhotoEntry; evicting a photo
// disposes every slot's tensors.
import type { Backbone, BackboneOutputs } from '../ml/backbone.ts';
import { disposeOutputs } from '../ml/backbone.ts';
import type { Size } from '../core/modelInputSize.ts';
import type { RgbaImage, SuperpixelMap } from '../core/types.ts';
import { PhotoCache } from './photoCache.ts';
import type { Progress, Requests, RequestType } from './protocol.ts';

export interface Disposable {
  dispose(): void;
}

export interface PhotoEntry {
  /** The working copy of the photo's pixels. */
  image?: RgbaImage;
  backbone?: { inputSize: Size; outputs: BackboneOutputs };
  superpixels?: SuperpixelMap;
  /** Domain-owned data holding tensors (features, heads, …), keyed by domain. */
  slots: Map<string, Disposable>;
}

export const context: { backbone?: Backbone; photos: PhotoCache<PhotoEntry> } = {
  photos: new PhotoCache<PhotoEntry>(6, (e) => {
    if (e.backbone) disposeOutputs(e.backbone.outputs);
    for (const s of e.slots.values()) s.dispose();
  }),
};

export function requireBackbone(): Backbone {
  if (!context.backbone) throw new Error('the model is not loaded yet');
  return context.backbone;
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

export function requireAnalysed(photoId: string): { inputSize: Size; outputs: BackboneOutputs } {
  const b = context.photos.get(photoId)?.backbone;
  if (!b) throw new Error('this photo has not been analysed yet');
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
