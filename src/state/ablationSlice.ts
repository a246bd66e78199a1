// Thesis §3.4.3, Table 3.4 in the studio: run the level ablation on the photos with ground truth, using the
// user's strokes on those photos; any change to strokes, superpixels, ground truth or classes makes the table
// stale, so it is cleared (and a run in flight cancelled) rather than shown out of date.
import type { StateCreator } from 'zustand';
import type { AblationResult } from '../worker/ablationProtocol.ts';
import { isCancelled } from '../worker/client.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

export interface AblationState {
  running: boolean;
  progress?: string;
  /** 0..1 */
  fraction?: number;
  result?: AblationResult;
  error?: string;
}

export interface AblationSlice {
  ablation: AblationState;
  runAblation(): Promise<void>;
  cancelAblation(): void;
}

/** Photos the ablation can score: ground truth and superpixels of the same size. */
export function ablationPhotoIds(s: StudioState): string[] {
  return s.photos
    .filter((p) => {
      const gt = s.groundTruth[p.id];
      const sp = s.superpixels[p.id];
      return gt && sp && gt.width === sp.width && gt.height === sp.height;
    })
    .map((p) => p.id);
}

/** Whether a run has something to learn from: strokes on at least one scorable photo. */
export function canRunAblation(s: StudioState): boolean {
  return ablationPhotoIds(s).some((id) => (s.strokes[id]?.length ?? 0) > 0);
}

export const createAblationSlice: StateCreator<StudioState, [], [], AblationSlice> = (set, get, api) => {
  let inFlight: AbortController | undefined;

  const cancel = () => {
    inFlight?.abort();
    inFlight = undefined;
  };

  api.subscribe((s, prev) => {
    if (s.strokes === prev.strokes && s.superpixels === prev.superpixels && s.groundTruth === prev.groundTruth && s.labelSet === prev.labelSet) return;
    if (!s.ablation.running && !s.ablation.result && !s.ablation.error) return;
    cancel();
    set({ ablation: { running: false } });
  });

  return {
    ablation: { running: false },

    async runAblation() {
      cancel();
      const s = get();
      const photos = s.photos
        .filter((p) => ablationPhotoIds(s).includes(p.id))
        .map((p) => ({ photoId: p.id, strokes: s.strokes[p.id] ?? [], groundTruth: s.groundTruth[p.id].classes.slice() }));
      const controller = new AbortController();
      inFlight = controller;
      set({ ablation: { running: true, progress: 'starting', fraction: 0 } });
      try {
        const result = await studioWorker().request(
          'ablation',
          { photos, classes: s.labelSet.classes.length, head: s.headKind },
          {
            signal: controller.signal,
            transfer: photos.map((p) => p.groundTruth.buffer as ArrayBuffer),
            onProgress: (p) => {
              if (!controller.signal.aborted) set((st) => ({ ablation: { ...st.ablation, progress: p.message, fraction: p.fraction } }));
            },
          },
        );
        if (!controller.signal.aborted) set({ ablation: { running: false, result } });
      } catch (err) {
        if (controller.signal.aborted || isCancelled(err)) return;
        set({ ablation: { running: false, error: (err as Error).message } });
      } finally {
        if (inFlight === controller) inFlight = undefined;
      }
    },

    cancelAblation() {
      if (!inFlight) return;
      cancel();
      set({ ablation: { running: false } });
    },
  };
};
