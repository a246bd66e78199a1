// Superpixels of the photos: SLIC parameters, the overlay style, and one result per photo, recomputed after
// analysis and whenever the parameters change. At most one request is in flight; changes made meanwhile
// collapse into a single follow-up with the latest parameters, so dragging a slider never builds a backlog.
import type { StateCreator } from 'zustand';
import { SEGMENTATION_SLIC } from '../core/segmentationSlic.ts';
import { isCancelled } from '../worker/client.ts';
import { WorkerError } from '../worker/protocol.ts';
import type { SuperpixelParams, SuperpixelResult } from '../worker/superpixelProtocol.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';
import { persistPart, validNumber } from './persistence.ts';

export type SuperpixelOverlayStyle = 'none' | 'boundaries' | 'mean colour' | 'random colours';

export const SUPERPIXEL_OVERLAY_STYLES: readonly SuperpixelOverlayStyle[] = ['none', 'boundaries', 'mean colour', 'random colours'];

export interface SuperpixelSlice {
  superpixelParams: SuperpixelParams;
  superpixelOverlay: SuperpixelOverlayStyle;
  superpixelOpacity: number;
  /** The latest result per photo id (possibly for older parameters while a newer one is computed). */
  superpixels: Record<string, SuperpixelResult>;
  setSuperpixelParams(p: Partial<SuperpixelParams>): void;
  setSuperpixelOverlay(style: SuperpixelOverlayStyle): void;
  setSuperpixelOpacity(v: number): void;
  computeSuperpixels(photoId: string): Promise<void>;
  /** Whether superpixels are being computed or queued (state, so subscribers see it settle). */
  superpixelsPending: boolean;
}

/** Slider changes closer together than this are merged before a request goes out. */
const DEBOUNCE_MS = 30;
/**
 * A request out longer than this is most likely queued behind other work in the worker (SLIC itself takes tens
 * of ms): once the parameters move on it is cancelled, so it is dropped unstarted. Younger requests are left to
 * finish, so a slider dragged without pause still shows results.
 */
const STUCK_MS = 300;

export const sameParams = (a: SuperpixelParams, b: SuperpixelParams) => a.k === b.k && a.m === b.m && a.mode === b.mode;

/** The same regions (a photo analysed anew: SLIC is deterministic), whatever the maps' ids. */
export function sameRegions(a: SuperpixelResult, b: SuperpixelResult): boolean {
  if (!sameParams(a, b) || a.width !== b.width || a.height !== b.height || a.count !== b.count) return false;
  for (let i = 0; i < a.labels.length; i++) if (a.labels[i] !== b.labels[i]) return false;
  return true;
}

export const createSuperpixelSlice: StateCreator<StudioState, [], [], SuperpixelSlice> = (set, get, api) => {
  const queued = new Set<string>();
  // `busy` is cleared in the same tick the queue is found empty, so a request queued at any moment is served.
  let busy = false;
  let drained: Promise<void> = Promise.resolve();
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let inFlight: { params: SuperpixelParams; controller: AbortController; sent: number } | undefined;

  async function pump(): Promise<void> {
    try {
      while (queued.size) {
        const id = queued.values().next().value as string;
        queued.delete(id);
        const photo = get().photos.find((p) => p.id === id);
        if (!photo?.loaded) continue;
        const params = get().superpixelParams;
        inFlight = { params, controller: new AbortController(), sent: performance.now() };
        try {
          const result = await studioWorker().request('superpixels', { photoId: id, ...params }, { signal: inFlight.controller.signal });
          if (get().photos.some((p) => p.id === id)) {
            set((s) => ({ superpixels: { ...s.superpixels, [id]: result } }));
            void get().retainLabels(id);
          }
        } catch (err) {
          const alive = get().photos.some((p) => p.id === id);
          // The worker's photo cache is bounded: the photo on screen, if evicted, is analysed again, which resends
          // its pixels and, through the subscription below, brings its superpixels back. Only that one: analysing
          // every photo whose request found it evicted would evict others in turn, without end while the user
          // pages through a large set; the others are analysed when opened.
          if (alive && err instanceof WorkerError && err.code === 'not-resident') {
            if (get().activePhotoId === id) void get().analysePhotos([id], true);
          } else if (alive && !isCancelled(err)) get().notify('error', `superpixels of ${photo.name}: ${(err as Error).message}`);
        } finally {
          inFlight = undefined;
        }
      }
    } finally {
      busy = false;
      set({ superpixelsPending: false });
    }
  }

  const isStale = (s: StudioState, id: string) => {
    const r = s.superpixels[id];
    return !r || !sameParams(r, s.superpixelParams);
  };

  api.subscribe((s, prev) => {
    if (s.photos !== prev.photos) {
      for (const p of s.photos) {
        // A new load means a new working copy in the worker (or a fresh worker cache after a backend switch).
        if (p.loaded && p.loaded !== prev.photos.find((q) => q.id === p.id)?.loaded) void get().computeSuperpixels(p.id);
      }
    }
    if (s.activePhotoId && s.activePhotoId !== prev.activePhotoId && isStale(s, s.activePhotoId)) void get().computeSuperpixels(s.activePhotoId);
  });

  persistPart<{ params: SuperpixelParams; overlay: SuperpixelOverlayStyle; opacity: number }>({
    key: 'superpixels',
    select: (s) => ({ params: s.superpixelParams, overlay: s.superpixelOverlay, opacity: s.superpixelOpacity }),
    validate: (v) => {
      const d = v as { params: SuperpixelParams; overlay: SuperpixelOverlayStyle; opacity: number };
      validNumber(d?.params?.k, 1, 100_000);
      validNumber(d.params.m, 0, 1000);
      validNumber(d.opacity, 0, 1);
      if (!['slic', 'rectangles'].includes(d.params.mode) || !SUPERPIXEL_OVERLAY_STYLES.includes(d.overlay)) throw new Error('unknown superpixel mode or overlay');
      return d;
    },
    restore: (d) => set({ superpixelParams: d.params, superpixelOverlay: d.overlay, superpixelOpacity: d.opacity }),
  });

  return {
    superpixelParams: { k: SEGMENTATION_SLIC.k, m: SEGMENTATION_SLIC.m, mode: 'slic' },
    superpixelOverlay: 'boundaries',
    superpixelOpacity: 0.8,
    superpixels: {},
    superpixelsPending: false,

    setSuperpixelParams(p) {
      set((s) => ({ superpixelParams: { ...s.superpixelParams, ...p } }));
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        const f = inFlight;
        if (f && performance.now() - f.sent > STUCK_MS && !sameParams(f.params, get().superpixelParams)) f.controller.abort();
        const id = get().activePhotoId;
        if (id && isStale(get(), id)) void get().computeSuperpixels(id);
      }, DEBOUNCE_MS);
    },

    setSuperpixelOverlay(style) {
      set({ superpixelOverlay: style });
    },

    setSuperpixelOpacity(v) {
      set({ superpixelOpacity: v });
    },

    computeSuperpixels(photoId) {
      queued.add(photoId);
      if (!busy) {
        busy = true;
        set({ superpixelsPending: true });
        drained = pump();
      }
      return drained;
    },
  };
};
