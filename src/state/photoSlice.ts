// The open photos: decoding, analysis by the backbone in the worker, selection and closing.
import type { StateCreator } from 'zustand';
import type { Size } from '../core/modelInputSize.ts';
import type { StudioState } from './studioStore.ts';
import { decodePhoto } from './decodePhoto.ts';
import { deletePhoto, savedPhotos, savePhoto } from './persistence.ts';
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

export interface PhotoSlice {
  photos: Photo[];
  activePhotoId?: string;
  addFiles(files: File[]): Promise<void>;
  /** Reopens the photos saved by earlier sessions. */
  restorePhotos(): Promise<void>;
  addSample(name: string): Promise<void>;
  analysePhoto(id: string): Promise<void>;
  selectPhoto(id: string): void;
  removePhoto(id: string): void;
}

let photoCounter = 0;

export const createPhotoSlice: StateCreator<StudioState, [], [], PhotoSlice> = (set, get) => {
  const patchPhoto = (id: string, patch: Partial<Photo>) => set((s) => ({ photos: s.photos.map((p) => (p.id === id ? { ...p, ...patch } : p)) }));

  return {
    photos: [],

    async analysePhoto(id) {
      const photo = get().photos.find((p) => p.id === id);
      const { model, inputLongSide } = get();
      // Photos added before the model is ready are analysed when it becomes ready (modelSlice).
      if (!photo || model.status !== 'ready') return;
      patchPhoto(id, { status: 'analysing', error: undefined });
      try {
        const pixels = new Uint8ClampedArray(photo.working.data);
        const analysis = await studioWorker().request(
          'analyze',
          { photoId: id, image: { width: photo.working.width, height: photo.working.height, data: pixels }, longSide: inputLongSide },
          { transfer: [pixels.buffer] },
        );
        patchPhoto(id, { status: 'ready', analysis });
        if (get().activePhotoId === id) await get().setHeatmap(get().heatmap);
      } catch (err) {
        patchPhoto(id, { status: 'error', error: (err as Error).message });
        get().notify('error', `${photo.name}: ${(err as Error).message}`);
      }
    },

    async addFiles(files) {
      for (const file of files) {
        if (await get().claimGroundTruthFile(file)) continue;
        const name = file.name || 'pasted image';
        let decoded;
        try {
          decoded = await decodePhoto(file);
        } catch (err) {
          get().notify('error', `${name}: ${(err as Error).message}`);
          continue;
        }
        const photo: Photo = { id: `p${Date.now().toString(36)}-${photoCounter++}`, name, ...decoded, status: 'analysing' };
        set((s) => ({ photos: [...s.photos, photo] }));
        void savePhoto({ id: photo.id, name, file }).catch((err) => get().notify('error', `${name} could not be saved: ${(err as Error).message}`));
        get().selectPhoto(photo.id);
        await get().analysePhoto(photo.id);
      }
    },

    async restorePhotos() {
      for (const saved of await savedPhotos()) {
        try {
          const photo: Photo = { id: saved.id, name: saved.name, ...(await decodePhoto(saved.file)), status: 'analysing' };
          set((s) => ({ photos: [...s.photos, photo], activePhotoId: s.activePhotoId ?? photo.id }));
        } catch (err) {
          get().notify('error', `${saved.name} could not be restored: ${(err as Error).message}`);
        }
      }
      for (const p of get().photos) await get().analysePhoto(p.id);
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
      void deletePhoto(id);
      void studioWorker()
        .request('forget', { photoId: id })
        .catch(() => undefined);
      const photos = get().photos.filter((p) => p.id !== id);
      set({ photos });
      if (get().activePhotoId === id) {
        const next = photos.at(-1);
        if (next) get().selectPhoto(next.id);
        else set({ activePhotoId: undefined, heatmapData: undefined });
      }
    },
  };
};

export const activePhoto = (s: StudioState): Photo | undefined => s.photos.find((p) => p.id === s.activePhotoId);
