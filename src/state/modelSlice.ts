// The model and its backend: loading, the user's backend choice, and re-analysis after a switch.
import type { StateCreator } from 'zustand';
import type { BackendChoice, BackendPreference } from '../ml/backendNames.ts';
import type { ModelInfo, Progress } from '../worker/protocol.ts';
import type { ModelStatus } from '../ml/modelRegistry.ts';
import type { StudioState } from './studioStore.ts';
import { initialBackendPreference, initialInputSide, saveBackendPreference, saveInputSide } from './modelSettings.ts';
import { studioWorker } from './worker.ts';
import { isCancelled } from '../worker/client.ts';

export interface ModelState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  progress?: Progress;
  backend?: BackendChoice;
  info?: ModelInfo;
  loadMs?: number;
  error?: string;
}

export interface ModelSlice {
  backendPreference: BackendPreference;
  /** Longer side of the backbone input (a multiple of 32 after rounding). */
  inputLongSide: number;
  model: ModelState;
  /** Every model of the worker's registry with its own status. */
  models: ModelStatus[];
  setModelStatus(status: ModelStatus): void;
  loadModel(preference?: BackendPreference): Promise<void>;
  /** Stops a load in progress: the model stays unloaded, photos wait, Load model starts again. */
  cancelModelLoad(): void;
  setInputLongSide(side: number): Promise<void>;
}

export const createModelSlice: StateCreator<StudioState, [], [], ModelSlice> = (set, get) => {
  let loading: AbortController | undefined;
  const allPhotos = () => get().photos.map((p) => p.id);

  return {
    backendPreference: initialBackendPreference(),
    inputLongSide: initialInputSide(),
    model: { status: 'idle' },
    models: [],

    setModelStatus(status) {
      set((s) => ({ models: s.models.some((m) => m.id === status.id) ? s.models.map((m) => (m.id === status.id ? status : m)) : [...s.models, status] }));
    },

    async loadModel(preference = get().backendPreference) {
      if (preference !== get().backendPreference) saveBackendPreference(preference);
      loading?.abort();
      const controller = new AbortController();
      loading = controller;
      set({ backendPreference: preference, model: { status: 'loading', progress: { message: 'starting' } } });
      try {
        const res = await studioWorker().request(
          'init',
          { backend: preference, longSide: get().inputLongSide },
          {
            signal: controller.signal,
            onProgress: (progress) => {
              if (!controller.signal.aborted) set((s) => ({ model: { ...s.model, progress } }));
            },
          },
        );
        if (controller.signal.aborted) return;
        loading = undefined;
        set({ model: { status: 'ready', backend: res.backend, info: res.model, loadMs: res.loadMs }, models: res.models });
        await get().analysePhotos(allPhotos());
      } catch (err) {
        if (controller.signal.aborted || isCancelled(err)) return;
        set({ model: { status: 'error', error: (err as Error).message } });
        get().notify('error', `Model failed to load: ${(err as Error).message}`);
      } finally {
        if (loading === controller) loading = undefined;
      }
    },

    cancelModelLoad() {
      if (!loading || get().model.status !== 'loading') return;
      loading.abort();
      loading = undefined;
      set({ model: { status: 'idle' } });
      get().notify('info', 'model load cancelled: photos are analysed once the model is loaded (Load model)', { label: 'Load model', commandId: 'load-model' });
    },

    async setInputLongSide(side) {
      saveInputSide(side);
      set({ inputLongSide: side });
      await get().analysePhotos(allPhotos());
    },
  };
};
