// The depth preview of the active photo (thesis §5.5; docs/depth.md), asked of the worker whenever the photo,
// its superpixels or its analysis change: the worker needs both, and superpixels usually arrive first. The shipped model reads the image (zoom-out features) and the superpixels only,
// so a change of segmentation alone does not alter it.
import type { StateCreator } from 'zustand';
import { isCancelled } from '../worker/client.ts';
import type { DepthResult } from '../worker/depthProtocol.ts';
import { WorkerError } from '../worker/protocol.ts';
import type { SuperpixelResult } from '../worker/superpixelProtocol.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

export interface DepthState {
  photoId: string;
  superpixels: SuperpixelResult;
  result: DepthResult;
}

export interface DepthSlice {
  /** Depth of the active photo for the superpixels it names. */
  depth?: DepthState;
  /** Whether the 3D view of the active photo's depth is open (not saved: a view, not work). */
  depthView: boolean;
  setDepthView(open: boolean): void;
}

export const createDepthSlice: StateCreator<StudioState, [], [], DepthSlice> = (set, get, api) => {
  const analysisOf = (s: StudioState, id: string | undefined) => s.photos.find((p) => p.id === id)?.analysis;
  api.subscribe((s, prev) => {
    const id = s.activePhotoId;
    const analysis = analysisOf(s, id);
    if (id === prev.activePhotoId && s.superpixels[id ?? ''] === prev.superpixels[id ?? ''] && analysis === analysisOf(prev, id)) return;
    const superpixels = id ? s.superpixels[id] : undefined;
    if (!id || !superpixels || !analysis) {
      if (s.depth) set({ depth: undefined });
      return;
    }
    // The same photo, its depth shown, new superpixels: a refresh the user is looking at (depthProtocol.ts).
    const refresh = id === prev.activePhotoId && prev.depth?.photoId === id;
    studioWorker()
      .request('depth', { photoId: id, refresh })
      .then((result) => {
        const now = get();
        if (now.activePhotoId === id && now.superpixels[id] === superpixels && result.mapId === superpixels.mapId) set({ depth: { photoId: id, superpixels, result } });
      })
      .catch((err: unknown) => {
        if (isCancelled(err)) return;
        // Evicted meanwhile, or the model is gone: the photo's next analysis asks again.
        if (err instanceof WorkerError && (err.code === 'not-resident' || err.code === 'no-model')) return;
        get().notify('error', `depth: ${(err as Error).message}`);
      });
  });
  return { depthView: false, setDepthView: (depthView) => set({ depthView }) };
};
