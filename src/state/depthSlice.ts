// The depth preview of the active photo (thesis §5.5; docs/depth.md), from one of two sources:
// - image: the per-superpixel regression on zoom-out features, asked of the worker whenever the photo, its
//   superpixels or its analysis change (the worker needs both; superpixels usually arrive first), and whenever
//   the model in use changes (fine-tuned on measured depth, or reset). A change of segmentation alone does not
//   alter it.
// - segmentation: the depth-from-segmentation net on the photo's segmentation read as the depth classes,
//   asked again whenever the segmentation shown changes (a stroke, a class switch, edge refinement).
import type { StateCreator } from 'zustand';
import type { DepthMap } from '../core/depthMap.ts';
import { depthClassIndexMap, segmentationDepthUnavailable, toDepthLabels } from '../core/depthClasses.ts';
import { isCancelled } from '../worker/client.ts';
import type { DepthResult } from '../worker/depthProtocol.ts';
import { WorkerError } from '../worker/protocol.ts';
import type { SuperpixelResult } from '../worker/superpixelProtocol.ts';
import { persistPart } from './persistence.ts';
import { segmentationPixels, type PixelSegmentation } from './segmentationPixels.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

export type DepthSource = 'image' | 'segmentation';

export type DepthState =
  | { source: 'image'; photoId: string; superpixels: SuperpixelResult; result: DepthResult }
  | { source: 'segmentation'; photoId: string; segmentation: PixelSegmentation; map: DepthMap; ms: number };

export interface DepthSlice {
  /** Depth of the active photo for what it was computed from (its superpixels or its segmentation). */
  depth?: DepthState;
  depthSource: DepthSource;
  setDepthSource(source: DepthSource): void;
  /** Whether the 3D view of the active photo's depth is open (not saved: a view, not work). */
  depthView: boolean;
  setDepthView(open: boolean): void;
}

export const createDepthSlice: StateCreator<StudioState, [], [], DepthSlice> = (set, get, api) => {
  const analysisOf = (s: StudioState, id: string | undefined) => s.photos.find((p) => p.id === id)?.analysis;
  const failed = (err: unknown) => {
    if (isCancelled(err)) return;
    // Evicted meanwhile, or the model is gone: the photo's next analysis asks again.
    if (err instanceof WorkerError && (err.code === 'not-resident' || err.code === 'no-model')) return;
    get().notify('error', `depth: ${(err as Error).message}`);
  };

  const fromImage = (s: StudioState, prev: StudioState) => {
    const id = s.activePhotoId;
    const analysis = analysisOf(s, id);
    const switched = prev.depthSource !== 'image';
    if (!switched && id === prev.activePhotoId && s.superpixels[id ?? ''] === prev.superpixels[id ?? ''] && analysis === analysisOf(prev, id) && s.tunedDepth === prev.tunedDepth) return;
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
        if (now.depthSource === 'image' && now.activePhotoId === id && now.superpixels[id] === superpixels && result.mapId === superpixels.mapId) set({ depth: { source: 'image', photoId: id, superpixels, result } });
      })
      .catch(failed);
  };

  let asked: PixelSegmentation | undefined;
  const fromSegmentation = (s: StudioState) => {
    const id = s.activePhotoId;
    const segmentation = id ? segmentationPixels(s, id) : undefined;
    if (!id || !segmentation || segmentationDepthUnavailable(s.labelSet)) {
      asked = undefined;
      if (s.depth) set({ depth: undefined });
      return;
    }
    if (segmentation === asked) return;
    asked = segmentation;
    const { width, height } = segmentation;
    const classes = toDepthLabels(segmentation.classes, depthClassIndexMap(s.labelSet));
    studioWorker()
      .request('segmentation-depth', { width, height, classes }, { transfer: [classes.buffer] })
      .then(({ metres, ms }) => {
        const now = get();
        if (now.depthSource === 'segmentation' && now.activePhotoId === id && segmentationPixels(now, id) === segmentation) set({ depth: { source: 'segmentation', photoId: id, segmentation, map: { width, height, metres }, ms } });
      })
      .catch((err: unknown) => {
        // Not answered (the model still loading, a worker restart): the next change of these inputs asks again.
        if (asked === segmentation) asked = undefined;
        failed(err);
      });
  };

  api.subscribe((s, prev) => {
    if (s.depthSource === 'image') fromImage(s, prev);
    else if (s.activePhotoId !== prev.activePhotoId || s.segmentations !== prev.segmentations || s.superpixels !== prev.superpixels || s.refinements !== prev.refinements || s.crf !== prev.crf || s.labelSet !== prev.labelSet || s.depthSource !== prev.depthSource) fromSegmentation(s);
  });

  persistPart<{ source: DepthSource }>({
    key: 'depth',
    select: (s) => ({ source: s.depthSource }),
    validate: (v) => {
      const source = (v as { source?: unknown }).source;
      if (source !== 'image' && source !== 'segmentation') throw new Error(`${String(source)} is not a depth source`);
      return { source };
    },
    restore: ({ source }) => set({ depthSource: source }),
  });

  return {
    depthSource: 'image',
    setDepthSource: (depthSource) => {
      asked = undefined;
      set({ depthSource, depth: undefined });
    },
    depthView: false,
    setDepthView: (depthView) => set({ depthView }),
  };
};
