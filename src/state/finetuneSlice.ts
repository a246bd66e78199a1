// Fine-tuning the backbone in the studio (thesis §3.5; docs/finetune.md): in pixel mode, the pixel head and the
// chosen blocks trained end to end in the worker on the label sources segmentation uses, with progress, a loss
// curve and cancel; then the photos are segmented again through the fine-tuned backbone. The fine-tuned weights
// are saved with the project and handed to the worker again whenever it loads its models (a reload, another
// backend); "Reset" goes back to the pretrained backbone.
import type { StateCreator } from 'zustand';
import { ALL_LEVELS } from '../ml/levels.ts';
import { isCancelled } from '../worker/client.ts';
import type { FinetuneBlocks, FinetuneResult } from '../worker/finetuneProtocol.ts';
import { persistPart, validNumber } from './persistence.ts';
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

const BLOCKS: readonly FinetuneBlocks[] = ['top', 'top2', 'all'];

/** A saved fine-tuning: its settings, and the run the backbone carried (losses, the weights as tfjs encodes them). */
function validateSaved(v: unknown): { blocks: FinetuneBlocks; steps: number; result?: FinetuneResult } {
  const d = v as { blocks?: unknown; steps?: unknown; result?: Partial<FinetuneResult> };
  if (!BLOCKS.includes(d?.blocks as FinetuneBlocks)) throw new Error('unknown fine-tuning blocks');
  const steps = validNumber(d.steps, FINETUNE_STEPS.min, FINETUNE_STEPS.max);
  const r = d.result;
  if (r === undefined) return { blocks: d.blocks as FinetuneBlocks, steps };
  const w = r.weights;
  const ok =
    BLOCKS.includes(r.blocks!) &&
    Array.isArray(r.losses) &&
    r.losses.every((l) => typeof l === 'number') &&
    typeof r.photos === 'number' &&
    typeof r.stepMs === 'number' &&
    Array.isArray(r.notTrained) &&
    BLOCKS.includes(w?.blocks as FinetuneBlocks) &&
    w?.data instanceof Uint8Array &&
    Array.isArray(w.specs) &&
    w.specs.every((spec) => typeof spec?.name === 'string' && Array.isArray(spec.shape) && spec.dtype === 'float32');
  if (!ok) throw new Error('damaged fine-tuned backbone');
  const bytes = w.specs.reduce((n, spec) => n + 4 * spec.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes !== w.data.byteLength) throw new Error(`the fine-tuned weights hold ${w.data.byteLength} bytes, their specs ${bytes}`);
  return { blocks: d.blocks as FinetuneBlocks, steps, result: r as FinetuneResult };
}

/** Pixel mode with labels to learn from, and no run in flight. */
export function canFinetune(s: StudioState): boolean {
  if (s.segmentationMode !== 'pixel' || s.finetune.running || s.model.status !== 'ready') return false;
  const { training, masks, suggestions } = s.labelSources();
  return training.length > 0 || masks.length > 0 || suggestions !== undefined;
}

export const createFinetuneSlice: StateCreator<StudioState, [], [], FinetuneSlice> = (set, get, api) => {
  let inFlight: AbortController | undefined;
  const patch = (p: Partial<FinetuneState>) => set((s) => ({ finetune: { ...s.finetune, ...p } }));

  /** Gives the worker the fine-tuned weights (it starts from the pretrained ones at every model load). */
  async function loadIntoWorker(result: FinetuneResult): Promise<void> {
    try {
      await studioWorker().request('load-finetune', result.weights);
      get().scheduleSegmentation();
    } catch (err) {
      if (get().finetune.result !== result) return;
      patch({ result: undefined, error: `the saved fine-tuned backbone could not be loaded (${(err as Error).message}): back to the pretrained one` });
    }
  }

  /** Back to the pretrained backbone in the worker, and the photos relabelled. */
  async function resetInWorker(): Promise<void> {
    try {
      await studioWorker().request('reset-finetune', {});
      get().scheduleSegmentation();
    } catch (err) {
      get().notify('error', `the backbone could not be reset: ${(err as Error).message}`);
    }
  }

  // A model load (another backend, a reload) starts the worker's models afresh; a run in flight is lost with them.
  api.subscribe((s, prev) => {
    if (s.model.status === prev.model.status) return;
    if (s.model.status !== 'ready') {
      if (!s.finetune.running) return;
      inFlight?.abort();
      patch({ running: false, progress: undefined });
      return;
    }
    if (s.finetune.result) void loadIntoWorker(s.finetune.result);
  });

  persistPart<{ blocks: FinetuneBlocks; steps: number; result?: FinetuneResult }>({
    key: 'finetune',
    select: (s) => ({ blocks: s.finetune.blocks, steps: s.finetune.steps, result: s.finetune.result }),
    validate: validateSaved,
    // Another project (or an open undone) brings its own backbone, or the pretrained one.
    restore: ({ blocks, steps, result }) => {
      const had = get().finetune.result;
      set((s) => ({ finetune: { ...s.finetune, blocks, steps, result, losses: result?.losses ?? [], error: undefined } }));
      if (get().model.status !== 'ready') return;
      if (result) void loadIntoWorker(result);
      else if (had) void resetInWorker();
    },
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
      patch({ result: undefined, losses: [], error: undefined });
      await resetInWorker();
    },
  };
};
