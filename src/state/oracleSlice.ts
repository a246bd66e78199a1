// Thesis §3.4.2 / Table 3.3 in the studio: the superpixel oracle of the active photo, computed in the worker
// where its superpixels are, whenever its superpixels or ground truth change.
import type { StateCreator } from 'zustand';
import type { AblationRequests } from '../worker/ablationProtocol.ts';
import { isCancelled } from '../worker/client.ts';
import { WorkerError } from '../worker/protocol.ts';
import type { GroundTruth } from './groundTruthSlice.ts';
import type { StudioState } from './studioStore.ts';
import type { SuperpixelResult } from '../worker/superpixelProtocol.ts';
import { studioWorker } from './worker.ts';

export interface OracleState {
  photoId: string;
  superpixels: SuperpixelResult;
  truth: GroundTruth;
  result: AblationRequests['oracle']['res'];
}

export interface OracleSlice {
  /** The oracle of the active photo for the superpixels and ground truth it names. */
  oracle?: OracleState;
}

export const createOracleSlice: StateCreator<StudioState, [], [], OracleSlice> = (set, get, api) => {
  api.subscribe((s, prev) => {
    const id = s.activePhotoId;
    if (id === prev.activePhotoId && s.superpixels[id ?? ''] === prev.superpixels[id ?? ''] && s.groundTruth[id ?? ''] === prev.groundTruth[id ?? '']) return;
    const superpixels = id ? s.superpixels[id] : undefined;
    const truth = id ? s.groundTruth[id] : undefined;
    if (!id || !superpixels || !truth || superpixels.width !== truth.width || superpixels.height !== truth.height) {
      if (s.oracle) set({ oracle: undefined });
      return;
    }
    studioWorker()
      .request('oracle', { photoId: id, groundTruth: truth.classes.slice() })
      .then((result) => {
        const now = get();
        if (now.activePhotoId === id && now.superpixels[id] === superpixels && now.groundTruth[id] === truth && result.mapId === superpixels.mapId) {
          set({ oracle: { photoId: id, superpixels, truth, result } });
        }
      })
      .catch((err: unknown) => {
        if (isCancelled(err)) return;
        // Evicted from the worker's bounded cache (a photo opened again): analysing it again brings its
        // superpixels back, and with them this subscription asks again. Nothing for the user to do.
        if (err instanceof WorkerError && err.code === 'not-resident') {
          const photo = get().photos.find((p) => p.id === id);
          if (photo && photo.status !== 'analysing' && get().activePhotoId === id) void get().analysePhoto(id);
          return;
        }
        get().notify('error', `superpixel oracle: ${(err as Error).message}`);
      });
  });
  return {};
};
