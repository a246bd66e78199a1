// The studio's state: photos, the model and its backend, what the viewer shows, and user-facing messages.
import { create } from 'zustand';
import type { BackendChoice, BackendPreference } from '../ml/backendNames.ts';
import type { ModelInfo, Progress, ScalarMap } from '../worker/protocol.ts';
import type { Size } from '../core/modelInputSize.ts';
import { decodePhoto } from './decodePhoto.ts';
import { initialBackendPreference, saveBackendPreference } from './backendPreference.ts';
import { studioWorker } from './worker.ts';

export interface Photo {
  id: string;
  name: string;
  originalWidth: number;
  originalHeight: number;
  working: ImageData;
  status: 'analysing' | 'ready' | 'error';
  error?: string;
  analysis?: { inputSize: Size; forwardMs: number; classScores: Float32Array };
}

export interface ModelState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  progress?: Progress;
  backend?: BackendChoice;
  info?: ModelInfo;
  loadMs?: number;
  error?: string;
}

export type HeatmapSelection = { kind: 'none' } | { kind: 'tap' | 'class'; index: number };

export interface Message {
  id: number;
  level: 'info' | 'error';
  text: string;
}

export interface StudioState {
  backendPreference: BackendPreference;
  /** Longer side of the backbone input (a multiple of 32 after rounding). */
  inputLongSide: number;
  model: ModelState;
  photos: Photo[];
  activePhotoId?: string;
  heatmap: HeatmapSelection;
  heatmapData?: ScalarMap;
  heatmapOpacity: number;
  zoom: number;
  pan: { x: number; y: number };
  messages: Message[];

  loadModel(preference?: BackendPreference): Promise<void>;
  addFiles(files: File[]): Promise<void>;
  addSample(name: string): Promise<void>;
  selectPhoto(id: string): void;
  removePhoto(id: string): void;
  setHeatmap(sel: HeatmapSelection): Promise<void>;
  setHeatmapOpacity(v: number): void;
  setView(zoom: number, pan: { x: number; y: number }): void;
  notify(level: Message['level'], text: string): void;
  dismiss(id: number): void;
}

let messageId = 0;
let photoId = 0;

export const useStudio = create<StudioState>()((set, get) => {
  const patchPhoto = (id: string, patch: Partial<Photo>) =>
    set((s) => ({ photos: s.photos.map((p) => (p.id === id ? { ...p, ...patch } : p)) }));

  async function analyse(photo: Photo): Promise<void> {
    const { model, inputLongSide } = get();
    if (model.status !== 'ready') return;
    patchPhoto(photo.id, { status: 'analysing', error: undefined });
    try {
      const pixels = new Uint8ClampedArray(photo.working.data);
      const analysis = await studioWorker().request(
        'analyze',
        { photoId: photo.id, image: { width: photo.working.width, height: photo.working.height, data: pixels }, longSide: inputLongSide },
        { transfer: [pixels.buffer] },
      );
      patchPhoto(photo.id, { status: 'ready', analysis });
      if (get().activePhotoId === photo.id) await get().setHeatmap(get().heatmap);
    } catch (err) {
      patchPhoto(photo.id, { status: 'error', error: (err as Error).message });
      get().notify('error', `${photo.name}: ${(err as Error).message}`);
    }
  }

  return {
    backendPreference: initialBackendPreference(),
    inputLongSide: 512,
    model: { status: 'idle' },
    photos: [],
    heatmap: { kind: 'none' },
    heatmapOpacity: 0.6,
    zoom: 1,
    pan: { x: 0, y: 0 },
    messages: [],

    async loadModel(preference = get().backendPreference) {
      if (preference !== get().backendPreference) saveBackendPreference(preference);
      set({ backendPreference: preference, model: { status: 'loading', progress: { message: 'starting' } } });
      try {
        const res = await studioWorker().request('init', { backend: preference }, { onProgress: (progress) => set((s) => ({ model: { ...s.model, progress } })) });
        set({ model: { status: 'ready', backend: res.backend, info: res.model, loadMs: res.loadMs } });
        for (const p of get().photos) await analyse(p);
      } catch (err) {
        set({ model: { status: 'error', error: (err as Error).message } });
        get().notify('error', `Model failed to load: ${(err as Error).message}`);
      }
    },

    async addFiles(files) {
      for (const file of files) {
        let decoded;
        try {
          decoded = await decodePhoto(file);
        } catch (err) {
          get().notify('error', `${file.name || 'pasted image'}: ${(err as Error).message}`);
          continue;
        }
        const photo: Photo = { id: `p${Date.now().toString(36)}-${photoId++}`, name: file.name || 'pasted image', ...decoded, status: 'analysing' };
        set((s) => ({ photos: [...s.photos, photo], activePhotoId: photo.id, zoom: 1, pan: { x: 0, y: 0 }, heatmapData: undefined }));
        await analyse(photo);
      }
    },

    async addSample(name) {
      const res = await fetch(`${import.meta.env.BASE_URL}samples/${name}`);
      if (!res.ok) {
        get().notify('error', `sample ${name} could not be loaded (HTTP ${res.status})`);
        return;
      }
      const blob = await res.blob();
      await get().addFiles([new File([blob], name, { type: blob.type })]);
    },

    selectPhoto(id) {
      set({ activePhotoId: id, zoom: 1, pan: { x: 0, y: 0 }, heatmapData: undefined });
      void get().setHeatmap(get().heatmap);
    },

    removePhoto(id) {
      void studioWorker().request('forget', { photoId: id }).catch(() => undefined);
      set((s) => {
        const photos = s.photos.filter((p) => p.id !== id);
        const activePhotoId = s.activePhotoId === id ? photos.at(-1)?.id : s.activePhotoId;
        return { photos, activePhotoId, heatmapData: s.activePhotoId === id ? undefined : s.heatmapData };
      });
    },

    async setHeatmap(sel) {
      set({ heatmap: sel });
      const photo = get().photos.find((p) => p.id === get().activePhotoId);
      if (sel.kind === 'none' || !photo?.analysis) {
        set({ heatmapData: undefined });
        return;
      }
      try {
        const data = await studioWorker().request('heatmap', { photoId: photo.id, kind: sel.kind, index: sel.index });
        if (get().heatmap === sel && get().activePhotoId === photo.id) set({ heatmapData: data });
      } catch (err) {
        get().notify('error', `heatmap: ${(err as Error).message}`);
      }
    },

    setHeatmapOpacity(v) {
      set({ heatmapOpacity: v });
    },

    setView(zoom, pan) {
      set({ zoom: Math.min(32, Math.max(0.1, zoom)), pan });
    },

    notify(level, text) {
      const id = ++messageId;
      set((s) => ({ messages: [...s.messages.slice(-4), { id, level, text }] }));
    },

    dismiss(id) {
      set((s) => ({ messages: s.messages.filter((m) => m.id !== id) }));
    },
  };
});

export const activePhoto = (s: StudioState): Photo | undefined => s.photos.find((p) => p.id === s.activePhotoId);
