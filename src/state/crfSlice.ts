// Edge refinement in the studio (thesis §2.1.2, docs/crf.md): with "Refine edges" on, the dense CRF refines the
// active photo's segmentation per pixel whenever it changes, and every export refines the photos it writes, so
// what is downloaded is what was shown. Off by default: 0.2–0.5 s per photo on the CPU, against a click's 0.1 s.
import type { StateCreator } from 'zustand';
import { isCancelled } from '../worker/client.ts';
import { WorkerError } from '../worker/protocol.ts';
import type { PhotoSegmentation } from '../worker/segmentationProtocol.ts';
import { persistPart } from './persistence.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

export interface Refinement {
  /** The segmentation these pixels refine (an older one's refinement is never shown). */
  segmentation: PhotoSegmentation;
  /** Class per working-copy pixel. */
  pixels: Uint8Array;
  ms: number;
}

export interface CrfSlice {
  crf: boolean;
  refinements: Record<string, Refinement>;
  setCrf(on: boolean): void;
  /** The photo's current segmentation refined, asked of the worker when missing; undefined when it has none. */
  refinePhoto(photoId: string): Promise<Refinement | undefined>;
}

/** The refinement of the photo's current segmentation, if there is one. */
export function currentRefinement(s: Pick<StudioState, 'crf' | 'refinements' | 'segmentations'>, photoId: string): Refinement | undefined {
  const r = s.refinements[photoId];
  return s.crf && r && r.segmentation === s.segmentations[photoId] ? r : undefined;
}

export const createCrfSlice: StateCreator<StudioState, [], [], CrfSlice> = (set, get, api) => {
  const pending = new Map<PhotoSegmentation, Promise<Refinement | undefined>>();

  async function refine(photoId: string, segmentation: PhotoSegmentation): Promise<Refinement | undefined> {
    try {
      const { pixels, ms } = await studioWorker().request('refine', { photoId, run: segmentation.run });
      const refinement = { segmentation, pixels, ms };
      if (get().segmentations[photoId] !== segmentation) return undefined;
      // Refinements of replaced segmentations are dropped: only current ones can be shown.
      set((s) => ({
        refinements: { ...Object.fromEntries(Object.entries(s.refinements).filter(([id, r]) => s.segmentations[id] === r.segmentation)), [photoId]: refinement },
      }));
      return refinement;
    } catch (err) {
      // Replaced by a newer run (which brings its own refinement) or evicted from the worker: nothing to refine.
      if (isCancelled(err) || (err instanceof WorkerError && (err.code === 'stale' || err.code === 'not-resident'))) return undefined;
      get().notify('error', `refining edges: ${(err as Error).message}`);
      return undefined;
    } finally {
      pending.delete(segmentation);
    }
  }

  api.subscribe((s, prev) => {
    const id = s.activePhotoId;
    if (!s.crf || !id) return;
    if (s.crf === prev.crf && id === prev.activePhotoId && s.segmentations[id] === prev.segmentations[id]) return;
    void get().refinePhoto(id);
  });

  persistPart<boolean>({
    key: 'crf',
    select: (s) => s.crf,
    validate: (v) => {
      if (typeof v !== 'boolean') throw new Error('not a flag');
      return v;
    },
    restore: (crf) => set({ crf }),
  });

  return {
    crf: false,
    refinements: {},
    setCrf(on) {
      set({ crf: on });
    },
    refinePhoto(photoId) {
      const s = get();
      const segmentation = s.segmentations[photoId];
      // Pixel mode's labels are per pixel already (segmentationPixels.ts ignores refinements of them).
      if (!segmentation || segmentation.pixels) return Promise.resolve(undefined);
      const known = s.refinements[photoId];
      if (known?.segmentation === segmentation) return Promise.resolve(known);
      const running = pending.get(segmentation) ?? refine(photoId, segmentation);
      pending.set(segmentation, running);
      return running;
    },
  };
};
