// Fine-tuning the backbone in the studio (thesis §3.5; docs/finetune.md): in pixel mode, the pixel head and the
// chosen blocks trained end to end in the worker on the label sources segmentation uses, with progress, a loss
// curve and cancel; then the photos are segmented again through the fine-tuned backbone. The fine-tuned weights
// live in the worker only: a reload, another backend or "Reset" goes back to the pretrained backbone.
import type { StateCreator } from 'zustand';
import { ALL_LEVELS } from '../ml/levels.ts';
import { isCancelled } from '../worker/client.ts';
import type { FinetuneBlocks, FinetuneResult } from '../worker/finetuneProtocol.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

export interface FinetuneState {
  blocks: FinetuneBlocks;
  steps: number;
  running: boolean;
  progress?: string;
  fraction?: number;
  /** Loss per step of the run in progress. */
  losses: number[];
  /** The run the backbone now carries; undefined: pretrained. */
  result?: FinetuneResult;
  error?: string;
}

export interface FinetuneSlice {
  finetune: FinetuneState;
  setFinetuneSettings(patch: Partial<Pick<FinetuneState, 'blocks' | 'steps'>>): void;
  runFinetune(): Promise<void>;
  cancelFinetune(): void;
  resetFinetune(): Promise<void>;
}

export const FINETUNE_STEPS = { min: 1, max: 500 };

/** Pixel mode with labels to learn from, and no run in flight. */
export function canFinetune(s: StudioState): boolean {
  if (s.segmentationMode !== 'pixel' || s.finetune.running || s.model.status !== 'ready') return false;
  const { training, masks, suggestions } = s.labelSources();
  return training.length > 0 || masks.length > 0 || suggestions !== undefined;
}

export const createFinetuneSlice: StateCreator<StudioState, [], [], FinetuneSlice> = (set, get, api) => {
  let inFlight: AbortController | undefined;
  const patch = (p: Partial<FinetuneState>) => set((s) => ({ finetune: { ...s.finetune, ...p } }));

  // Another backend or model load starts the worker's models afresh: the fine-tuned weights are gone.
  api.subscribe((s, prev) => {
    if (s.model.status !== prev.model.status && s.model.status !== 'ready' && (s.finetune.result || s.finetune.running)) {
      inFlight?.abort();
      patch({ running: false, result: undefined, progress: undefined });
    }
  });

  return {
    // About 2 s a step of four 256² crops on wasm here (docs/finetune.md): 20 steps is under a minute.
    finetune: { blocks: 'top', steps: 20, running: false, losses: [] },

    setFinetuneSettings(p) {
      patch({ ...(p.blocks ? { blocks: p.blocks } : {}), ...(p.steps !== undefined && Number.isFinite(p.steps) ? { steps: Math.round(Math.min(FINETUNE_STEPS.max, Math.max(FINETUNE_STEPS.min, p.steps))) } : {}) });
    },

    async runFinetune() {
      if (!canFinetune(get())) return;
      const s = get();
      const { training, masks, targets, suggestions } = s.labelSources();
      const controller = new AbortController();
      inFlight = controller;
      patch({ running: true, progress: 'starting', fraction: 0, losses: [], error: undefined });
      try {
        const result = await studioWorker().request(
          'finetune',
          {
            training,
            masks,
            targets,
            suggestions,
            classes: s.labelSet.classes.length,
            levels: ALL_LEVELS.filter((l) => s.levels[l]),
            head: s.headKind,
            blocks: s.finetune.blocks,
            steps: s.finetune.steps,
            longSide: s.inputLongSide,
          },
          {
            signal: controller.signal,
            onProgress: (p) => {
              if (controller.signal.aborted) return;
              const { loss } = p;
              set((st) => ({ finetune: { ...st.finetune, progress: p.message, fraction: p.fraction, losses: loss === undefined ? st.finetune.losses : [...st.finetune.losses, loss] } }));
            },
          },
        );
        if (controller.signal.aborted) return;
        patch({ running: false, progress: undefined, result, losses: result.losses });
        get().scheduleSegmentation();
      } catch (err) {
        if (controller.signal.aborted || isCancelled(err)) return;
        patch({ running: false, progress: undefined, error: (err as Error).message });
      } finally {
        if (inFlight === controller) inFlight = undefined;
      }
    },

    cancelFinetune() {
      if (!inFlight) return;
      inFlight.abort();
      inFlight = undefined;
      patch({ running: false, progress: undefined, error: 'cancelled: the backbone is as it was before the run' });
    },

    async resetFinetune() {
      await studioWorker().request('reset-finetune', {});
      patch({ result: undefined, losses: [], error: undefined });
      get().scheduleSegmentation();
    },
  };
};
