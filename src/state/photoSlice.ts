// The open photos: decoding, duplicate detection, analysis by the backbone in the worker, selection, and
// closing — an undoable edit that takes every part of the photo with it (and brings them all back on undo).
import type { StateCreator } from 'zustand';
import type { Size } from '../core/modelInputSize.ts';
import type { ProjectDocument } from '../core/project.ts';
import type { StudioState } from './studioStore.ts';
import { AnalysisQueue, type AnalysisProgress } from './analysisQueue.ts';
import { decodePhoto } from './decodePhoto.ts';
import { photoPartsOf, restoreDocument } from './persistence.ts';
import { withoutPhoto } from './photoParts.ts';
import { deletePhoto, savePhoto } from './projectStorage.ts';
import { studioWorker } from './worker.ts';
import { WorkerError } from '../worker/protocol.ts';

export interface Photo {
  id: string;
  name: string;
  /** Position in the list, kept across reloads. */
  order: number;
  originalWidth: number;
  originalHeight: number;
  working: ImageData;
  /** The file as added: what autosave and project files keep. */
  file: Blob;
  /** SHA-256 of the file, hex. */
  contentHash: string;
  /** pending: not analysed yet (waiting its turn, or the sweep was stopped: analysed when opened). */
  status: 'pending' | 'analysing' | 'ready' | 'error';
  error?: string;
  /** A new object each time the worker receives the working copy: superpixels are computed from then on. */
  loaded?: object;
  analysis?: { inputSize: Size; forwardMs: number; classScores: Float32Array };
  /** False once the worker evicted its tensors (bounded cache): analysed again when the photo is opened. */
  resident?: boolean;
}

export interface PhotoSlice {
  photos: Photo[];
  activePhotoId?: string;
  addFiles(files: File[]): Promise<void>;
  /** Opens a saved or imported project document: its photos, then every part of it. */
  openDocument(document: ProjectDocument, files: Map<string, Blob>): Promise<void>;
  addSample(name: string): Promise<void>;
  analysePhoto(id: string): Promise<void>;
  /**
   * Queues photos for analysis, the active one first (analysisQueue.ts); resolves once the queue is empty.
   * `onlyWhileOpen`: skipped if by its turn the photo is no longer the one on screen.
   */
  analysePhotos(ids: string[], onlyWhileOpen?: boolean): Promise<void>;
  /** The analysis of a set in progress; undefined when no photo waits. */
  analysisProgress?: AnalysisProgress;
  /** Stops analysing the photos still waiting: each is analysed when opened. */
  stopAnalysis(): void;
  selectPhoto(id: string): void;
  /** Closes the photo and everything of it (undoable). */
  removePhoto(id: string): void;
  /** The worker dropped the photo's tensors. */
  markEvicted(id: string): void;
}

let photoCounter = 0;
let opening: Promise<void> = Promise.resolve();
/**
 * The next new photo's `order`: past every order given out in this session, closed photos' included, so a
 * close undone after new photos arrived finds its place free and the list keeps the order a reload restores.
 */
let nextOrder = 0;

/** Photos whose record autosave may update (their file is saved, or being saved). */
export const storedPhotos = new Set<string>();

async function sha256(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const createPhotoSlice: StateCreator<StudioState, [], [], PhotoSlice> = (set, get) => {
  const queue = new AnalysisQueue();
  let sweep: Promise<void> | undefined;
  const syncProgress = () => set({ analysisProgress: queue.progress });

  /** Photos queued only for being on screen: skipped if the user has moved on by their turn. */
  const whileOpen = new Set<string>();

  function analyseInTurn(ids: string[], onlyWhileOpen = false): Promise<void> {
    for (const id of ids) {
      if (onlyWhileOpen) whileOpen.add(id);
      else whileOpen.delete(id);
    }
    queue.add(ids);
    syncProgress();
    sweep ??= (async () => {
      for (let id = queue.take(get().activePhotoId); id !== undefined; id = queue.take(get().activePhotoId)) {
        const skip = whileOpen.delete(id) && id !== get().activePhotoId;
        if (!skip) await get().analysePhoto(id);
        queue.finished();
        syncProgress();
      }
    })().finally(() => {
      sweep = undefined;
      syncProgress();
    });
    return sweep;
  }

  const patchPhoto = (id: string, patch: Partial<Photo>) => set((s) => ({ photos: s.photos.map((p) => (p.id === id ? { ...p, ...patch } : p)) }));

  /** Writes the photo and its parts; a failed write is reported and the photo stays open. */
  const store = (photo: Photo) => {
    storedPhotos.add(photo.id);
    const { working: _w, status: _s, error: _e, loaded: _l, analysis: _a, resident: _r, ...record } = photo;
    savePhoto(record, photoPartsOf(get(), photo.id)).catch((err: Error) => {
      storedPhotos.delete(photo.id);
      get().notify('error', `${photo.name} could not be saved (${err.message}); it stays open, but will not be there after a reload`);
    });
  };

  /** Decodes and opens the photos of one drop, in order; returns their ids and the masks and depth maps among the files. */
  async function openFiles(files: File[]): Promise<{ added: string[]; masks: File[]; depths: File[] }> {
    const added: string[] = [];
    const masks: File[] = [];
    const depths: File[] = [];
    for (const file of files) {
      if (await get().isMeasuredDepthFile(file, files)) {
        depths.push(file);
        continue;
      }
      if (await get().isGroundTruthFile(file)) {
        masks.push(file);
        continue;
      }
      const name = file.name || 'pasted image';
      let decoded;
      let contentHash;
      try {
        [decoded, contentHash] = await Promise.all([decodePhoto(file), sha256(file)]);
      } catch (err) {
        get().notify('error', `${name}: ${(err as Error).message}`);
        continue;
      }
      const twin = get().photos.find((p) => p.contentHash === contentHash);
      if (twin) {
        get().notify('info', `${name} is already open (as ${twin.name}): not added again`);
        continue;
      }
      const order = Math.max(nextOrder, ...get().photos.map((p) => p.order + 1));
      nextOrder = order + 1;
      const photo: Photo = { id: `p${Date.now().toString(36)}-${photoCounter++}`, name, order, ...decoded, file, contentHash, status: 'pending' };
      set((s) => ({ photos: [...s.photos, photo] }));
      store(photo);
      if (added.length === 0) get().selectPhoto(photo.id);
      added.push(photo.id);
    }
    return { added, masks, depths };
  }

  return {
    photos: [],
    analysisProgress: undefined,

    analysePhotos: analyseInTurn,

    stopAnalysis() {
      const left = queue.clear();
      whileOpen.clear();
      syncProgress();
      if (left.length) get().notify('info', `stopped computing features: ${left.length} photo${left.length === 1 ? '' : 's'} will be analysed when opened`);
    },

    async analysePhoto(id) {
      const photo = get().photos.find((p) => p.id === id);
      const { model, inputLongSide } = get();
      // Photos added before the model is ready are analysed when it becomes ready (modelSlice).
      if (!photo || model.status !== 'ready') return;
      patchPhoto(id, { status: 'analysing', error: undefined });
      const loadAndAnalyse = async () => {
        const pixels = new Uint8ClampedArray(photo.working.data);
        await studioWorker().request('load', { photoId: id, image: { width: photo.working.width, height: photo.working.height, data: pixels } }, { transfer: [pixels.buffer] });
        if (!get().photos.some((p) => p.id === id)) return undefined;
        // Superpixels (a few ms) are requested now, ahead of the backbone pass, so they show first.
        patchPhoto(id, { loaded: {} });
        return studioWorker().request('analyze', { photoId: id, longSide: inputLongSide });
      };
      try {
        let analysis;
        try {
          analysis = await loadAndAnalyse();
        } catch (err) {
          // Other photos loaded in between evicted this one's pixels from the worker's cache: once more.
          if (!(err instanceof WorkerError && err.code === 'not-resident')) throw err;
          analysis = await loadAndAnalyse();
        }
        if (!analysis || !get().photos.some((p) => p.id === id)) return;
        patchPhoto(id, { status: 'ready', analysis, resident: true });
        if (get().activePhotoId === id) void get().setHeatmap(get().heatmap);
      } catch (err) {
        if (!get().photos.some((p) => p.id === id)) return;
        patchPhoto(id, { status: 'error', error: (err as Error).message });
        get().notify('error', `${photo.name}: ${(err as Error).message}`);
      }
    },

    async addFiles(files) {
      // Drops are opened one after another, so a second drop's photos follow the first's in the list.
      const turn = opening.then(() => openFiles(files));
      opening = turn.then(() => undefined, () => undefined);
      const { added, masks, depths } = await turn;
      // Masks and depth maps are claimed after the photos of the same drop are open, so chelsea.png +
      // chelsea_mask.png (or chelsea_depth.png) pair up.
      for (const file of masks) await get().claimGroundTruthFile(file);
      for (const file of depths) await get().claimMeasuredDepthFile(file);
      await analyseInTurn(added);
    },

    async openDocument(document, files) {
      const photos: Photo[] = [];
      for (const saved of document.photos) {
        const file = files.get(saved.id);
        if (!file) continue;
        try {
          const { parts: _parts, ...envelope } = saved;
          photos.push({ ...envelope, ...(await decodePhoto(file)), file, status: 'pending' });
        } catch (err) {
          get().notify('error', `${saved.name} could not be reopened: ${(err as Error).message}`);
        }
      }
      for (const p of photos) storedPhotos.add(p.id);
      nextOrder = Math.max(nextOrder, ...photos.map((p) => p.order + 1));
      set((s) => ({ photos: [...s.photos, ...photos] }));
      for (const problem of restoreDocument(document, get)) get().notify('error', problem);
      const active = get().activePhotoId;
      if (!active || !get().photos.some((p) => p.id === active)) set({ activePhotoId: get().photos[0]?.id });
      await analyseInTurn(photos.map((p) => p.id));
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
      const photo = get().photos.find((p) => p.id === id);
      if (photo?.status === 'pending') void analyseInTurn([id]);
      else if (photo?.resident === false) void analyseInTurn([id], true);
      else {
        void get().setHeatmap(get().heatmap);
        // Labels from an earlier head or map (the photo was relabelled elsewhere meanwhile) are brought up to date.
        void get()
          .bringUpToDate(id)
          .catch(() => undefined);
      }
    },

    markEvicted(id) {
      if (get().photos.some((p) => p.id === id && p.resident)) patchPhoto(id, { resident: false });
    },

    removePhoto(id) {
      const index = get().photos.findIndex((p) => p.id === id);
      if (index < 0) return;
      const photo = get().photos[index];
      const parts = photoPartsOf(get(), id);
      const wasActive = get().activePhotoId === id;
      get().record({
        label: `close ${photo.name}`,
        apply: () => {
          storedPhotos.delete(id);
          queue.remove(id);
          whileOpen.delete(id);
          syncProgress();
          void deletePhoto(id).catch((err: Error) => get().notify('error', `${photo.name} could not be removed from storage: ${err.message}`));
          void studioWorker()
            .request('forget', { photoId: id })
            .catch(() => undefined);
          const photos = get().photos.filter((p) => p.id !== id);
          set({ ...withoutPhoto(get(), id), photos });
          if (get().activePhotoId === id) {
            // The neighbour that took its place, else the one before it.
            const next = photos[Math.min(index, photos.length - 1)];
            if (next) get().selectPhoto(next.id);
            else set({ activePhotoId: undefined, heatmapData: undefined });
          }
        },
        revert: () => {
          // Back in its place by order (photos added since come after it), as a reload would list them.
          const photos = [...get().photos];
          const at = photos.findIndex((p) => p.order > photo.order);
          photos.splice(at < 0 ? photos.length : at, 0, { ...photo, status: 'pending', loaded: undefined, analysis: undefined, resident: undefined });
          set({ photos });
          restoreDocument({ parts: {}, photos: [{ ...photo, contentHash: photo.contentHash, parts }] }, get);
          store(photo);
          if (wasActive) get().selectPhoto(id);
          void analyseInTurn([id]);
        },
      });
      get().notify('info', `${photo.name} closed`, { label: 'Undo', commandId: 'undo' });
    },
  };
};

export const activePhoto = (s: StudioState): Photo | undefined => s.photos.find((p) => p.id === s.activePhotoId);
