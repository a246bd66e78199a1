// What the suggestions panel shows about thesis ch. 4 on the active photo: whether its sampled points are drawn,
// and one localization map — a class's detector map S(·, c) or the background affinity map of eq. 4.3.5 —
// fetched from the worker per superpixel whenever the photo, its superpixel map, the sampling settings, the
// label set or the selection change. A response for a superpixel map the photo no longer has is discarded.
import type { StateCreator } from 'zustand';
import { isCancelled } from '../worker/client.ts';
import { WorkerError } from '../worker/protocol.ts';
import type { LocalizationRequest } from '../worker/segmentationProtocol.ts';
import type { StudioState } from './studioStore.ts';
import { tagClassSettings } from './tagClassSlice.ts';
import { studioWorker } from './worker.ts';

/** A class index, the background affinity map, or no map. */
export type SamplingMapChoice = number | 'background' | 'none';

export interface SamplingView {
  /** Draw the active photo's suggested points. */
  points: boolean;
  map: SamplingMapChoice;
}

export interface SamplingMap {
  photoId: string;
  /** The superpixel map the values are for. */
  mapId: number;
  map: number | 'background';
  /** One value per superpixel, 0..1. */
  values: Float32Array;
}

export interface SamplingSlice {
  samplingView: SamplingView;
  /** The selected map of the active photo, once the worker has sent it. */
  samplingMap?: SamplingMap;
  /** Why the selected map could not be fetched. */
  samplingMapError?: string;
  setSamplingView(patch: Partial<SamplingView>): void;
}

/** Everything the selected map depends on; a change of any of it fetches the map again. */
function mapInputs(s: StudioState) {
  const id = s.activePhotoId;
  return [id, id ? s.superpixels[id] : undefined, s.samplingView.map, s.suggestions.strategy, s.suggestions.k, s.labelSet, s.tagClasses, s.photoTags] as const;
}

export const createSamplingSlice: StateCreator<StudioState, [], [], SamplingSlice> = (set, get, api) => {
  let inFlight: AbortController | undefined;

  function refetch(s: StudioState): void {
    inFlight?.abort();
    inFlight = undefined;
    const photoId = s.activePhotoId;
    const superpixels = photoId ? s.superpixels[photoId] : undefined;
    const choice = s.samplingView.map;
    // A class the label set no longer has (a preset switched to a shorter one): no map.
    if (typeof choice === 'number' && choice >= s.labelSet.classes.length) {
      set({ samplingView: { ...s.samplingView, map: 'none' }, samplingMap: undefined, samplingMapError: undefined });
      return;
    }
    if (!photoId || !superpixels || choice === 'none') {
      if (s.samplingMap || s.samplingMapError) set({ samplingMap: undefined, samplingMapError: undefined });
      return;
    }
    // The old map stays shown until the new one arrives, unless it is of another photo or another choice.
    if (s.samplingMap && (s.samplingMap.photoId !== photoId || s.samplingMap.map !== choice)) set({ samplingMap: undefined });
    const controller = new AbortController();
    inFlight = controller;
    const request: LocalizationRequest = {
      photoId,
      suggestions: { strategy: s.suggestions.strategy, k: s.suggestions.k, classNames: s.labelSet.classes.map((c) => c.name), tagClasses: tagClassSettings(s) },
      map: choice,
    };
    studioWorker()
      .request('localization', request, { signal: controller.signal })
      .then(({ mapId, values }) => {
        if (controller.signal.aborted) return;
        const now = get();
        if (now.activePhotoId !== photoId || now.samplingView.map !== choice || now.superpixels[photoId]?.mapId !== mapId) return;
        set({ samplingMap: { photoId, mapId, map: choice, values }, samplingMapError: undefined });
      })
      .catch((err: unknown) => {
        if (isCancelled(err) || controller.signal.aborted) return;
        // Evicted from the worker's cache: analysing it again brings new superpixels, and with them a refetch.
        if (err instanceof WorkerError && err.code === 'not-resident') {
          const photo = get().photos.find((p) => p.id === photoId);
          if (photo && photo.status !== 'analysing' && get().activePhotoId === photoId) void get().analysePhoto(photoId);
          return;
        }
        set({ samplingMap: undefined, samplingMapError: (err as Error).message });
      })
      .finally(() => {
        if (inFlight === controller) inFlight = undefined;
      });
  }

  api.subscribe((s, prev) => {
    const a = mapInputs(s);
    const b = mapInputs(prev);
    if (a.every((v, i) => v === b[i])) return;
    refetch(s);
  });

  return {
    samplingView: { points: false, map: 'none' },
    setSamplingView(patch) {
      set((s) => ({ samplingView: { ...s.samplingView, ...patch } }));
    },
  };
};
