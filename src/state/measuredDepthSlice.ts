// The user's own RGB-D pairs (issue 9; docs/depth.md, "Your own RGB-D pairs"): a measured depth map per photo
// (a 16-bit PNG in millimetres, NYUv2's and most RGB-D cameras' format), scored against the depth model, and the
// depth regression fine-tuned on all measured photos (core/depthFineTune.ts) in the worker. Measurements are
// kept at the working size and saved with the photo; the fine-tuned model is saved with the project and handed
// to the worker whenever it loads its models. Attaching and removing a measurement are undoable; fine-tuning
// replaces only the model, and "Reset" brings the shipped one back.
import type { StateCreator } from 'zustand';
import type { DepthMetrics } from '../core/depthMetrics.ts';
import { decodeDepthPng } from '../core/depthMap.ts';
import { fileStem } from '../core/fileNames.ts';
import { resizeNearest } from '../core/resizeNearest.ts';
import type { DepthRegressorFile } from '../ml/depthManifest.ts';
import { isCancelled } from '../worker/client.ts';
import { WorkerError } from '../worker/protocol.ts';
import { pngHeader } from './groundTruthSlice.ts';
import { download } from './download.ts';
import { persistPart, persistPhotoPart } from './persistence.ts';
import { analysedAgain } from './analysedAgain.ts';
import { WorkerHoldings } from './workerHoldings.ts';
import type { Photo } from './photoSlice.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

export interface MeasuredDepth {
  name: string;
  width: number;
  height: number;
  /** Millimetres per working-copy pixel, 0 where nothing was measured. */
  millimetres: Uint16Array;
}

/** What the worker found of a photo's measurement on its current superpixels. */
export interface DepthCheck {
  mapId: number;
  measured: number;
  metrics: DepthMetrics;
}

export interface TunedDepth {
  model: DepthRegressorFile;
  /** Names of the photos it learnt from, when it was made. */
  photos: string[];
  photoIds: string[];
  rows: number;
  lambda: number;
  at: string;
}

export interface MeasuredDepthSlice {
  measuredDepth: Record<string, MeasuredDepth>;
  depthChecks: Record<string, DepthCheck>;
  /** The fine-tuned depth regression in use; undefined: the shipped one. */
  tunedDepth?: TunedDepth;
  depthTuning: { running: boolean };
  /** Decodes `file` as the photo's measured depth; a message and false when it does not fit. */
  attachMeasuredDepth(photoId: string, file: Blob & { name?: string }): Promise<boolean>;
  removeMeasuredDepth(photoId: string): void;
  /** Whether a dropped file is a depth map for an open photo or another file of the drop, rather than a photo. */
  isMeasuredDepthFile(file: File, dropped: readonly File[]): Promise<boolean>;
  /** Attaches a dropped depth map to the photo it names (or the active photo of its size); a message otherwise. */
  claimMeasuredDepthFile(file: File): Promise<void>;
  fineTuneDepth(): Promise<void>;
  resetDepthModel(): Promise<void>;
  /** Downloads the fine-tuned depth model, which `cli depth --model FILE` reads, for batches. */
  exportDepthModel(): void;
}

/** How firmly fine-tuning keeps the shipped weights (bench:depth's fine-tuning rows; docs/depth.md). */
export const DEPTH_FINETUNE_LAMBDA = 1e4;

/** Suffixes a depth file's stem may carry after its photo's stem. */
const DEPTH_SUFFIXES = ['_depth', '-depth', '.depth', '_depth_mm', '-depth-mm'];

function photoStemsOfDepth(name: string): string[] {
  const stem = fileStem(name).toLowerCase();
  return [stem, ...DEPTH_SUFFIXES.filter((s) => stem.length > s.length && stem.endsWith(s)).map((s) => stem.slice(0, -s.length))];
}

/** A 16-bit grayscale PNG's size, from its header; undefined for anything else. */
async function depthPngSize(file: Blob): Promise<{ width: number; height: number } | undefined> {
  if (file.type && file.type !== 'image/png') return undefined;
  const header = pngHeader(new Uint8Array(await file.slice(0, 26).arrayBuffer()));
  return header?.grayscale16 ? { width: header.width, height: header.height } : undefined;
}

function toMeasuredDepth(name: string, bytes: Uint8Array, photo: Photo): MeasuredDepth {
  let depth;
  try {
    depth = decodeDepthPng(bytes);
  } catch (err) {
    throw new Error(`not a depth map (${(err as Error).message})`);
  }
  if (depth.width !== photo.originalWidth || depth.height !== photo.originalHeight) {
    throw new Error(`the depth map is ${depth.width}×${depth.height} but ${photo.name} is ${photo.originalWidth}×${photo.originalHeight}; measured depth must have the photo's size`);
  }
  const { width, height } = photo.working;
  const mm = Uint16Array.from(depth.metres, (m) => Math.round(m * 1000));
  const millimetres = resizeNearest(mm, depth.width, depth.height, width, height, new Uint16Array(width * height));
  if (!millimetres.some((v) => v > 0)) throw new Error('the depth map measures no pixel (all zero)');
  return { name, width, height, millimetres };
}

export function validateMeasuredDepth(v: unknown): MeasuredDepth {
  const d = v as Partial<MeasuredDepth>;
  const ok = typeof d?.name === 'string' && Number.isInteger(d.width) && d.width! > 0 && Number.isInteger(d.height) && d.height! > 0 && d.millimetres instanceof Uint16Array && d.millimetres.length === d.width! * d.height!;
  if (!ok) throw new Error('not a measured depth map');
  return d as MeasuredDepth;
}

function validateTuned(v: unknown): { tuned?: TunedDepth } {
  const t = (v as { tuned?: Partial<TunedDepth> })?.tuned;
  if (t === undefined) return {};
  const m = t.model;
  const n = m ? m.zoomoutWidth + m.positionFeatures?.length : NaN;
  const ok =
    m !== undefined &&
    Number.isInteger(m.zoomoutWidth) &&
    Array.isArray(m.positionFeatures) &&
    [m.mean, m.scale, m.weights].every((a) => Array.isArray(a) && a.length === n && a.every(Number.isFinite)) &&
    Number.isFinite(m.intercept) &&
    Number.isFinite(m.smoothing) &&
    Array.isArray(t.photos) &&
    Array.isArray(t.photoIds) &&
    Number.isFinite(t.rows) &&
    Number.isFinite(t.lambda) &&
    typeof t.at === 'string';
  if (!ok) throw new Error('damaged fine-tuned depth model');
  return { tuned: t as TunedDepth };
}

export const createMeasuredDepthSlice: StateCreator<StudioState, [], [], MeasuredDepthSlice> = (set, get, api) => {
  const put = (photoId: string, value: MeasuredDepth | undefined) =>
    set((s) => {
      const measuredDepth = { ...s.measuredDepth };
      const depthChecks = { ...s.depthChecks };
      delete depthChecks[photoId];
      if (value) measuredDepth[photoId] = value;
      else delete measuredDepth[photoId];
      return { measuredDepth, depthChecks };
    });

  const store = (photo: Photo, depth: MeasuredDepth) => {
    const before = get().measuredDepth[photo.id];
    get().record({ label: `measured depth ${depth.name} for ${photo.name}`, apply: () => put(photo.id, depth), revert: () => put(photo.id, before) });
    const share = depth.millimetres.reduce((n, v) => n + (v > 0 ? 1 : 0), 0) / depth.millimetres.length;
    get().notify('info', `${depth.name}: measured depth for ${photo.name} (${(100 * share).toFixed(0)} % of pixels)${before ? ` (replaces ${before.name}; Undo brings it back)` : ''}`);
  };

  // The worker holds each measurement with the depth features of the photo's superpixels: handed over whenever
  // a measured photo has new superpixels and an analysis, or a new measurement, or the model in use changed.
  const holdings = new WorkerHoldings<{ mapId: number; depth: MeasuredDepth; tuned?: TunedDepth }>((a, b) => a.mapId === b.mapId && a.depth === b.depth && a.tuned === b.tuned);
  const check = (s: StudioState, id: string) => {
    const depth = s.measuredDepth[id];
    const superpixels = s.superpixels[id];
    const photo = s.photos.find((p) => p.id === id);
    if (!depth || !superpixels || !photo?.analysis || superpixels.width !== depth.width || superpixels.height !== depth.height) return;
    const tuned = s.tunedDepth;
    holdings
      .handOver(id, { mapId: superpixels.mapId, depth, tuned }, () =>
        studioWorker().request('depth-measure', { photoId: id, width: depth.width, height: depth.height, millimetres: depth.millimetres.slice() }),
      )
      ?.then((result) => {
        const now = get();
        if (now.measuredDepth[id] === depth && now.superpixels[id]?.mapId === result.mapId && now.tunedDepth === tuned) set((st) => ({ depthChecks: { ...st.depthChecks, [id]: result } }));
      })
      .catch((err: unknown) => {
        if (isCancelled(err) || (err instanceof WorkerError && (err.code === 'not-resident' || err.code === 'no-model' || err.code === 'stale'))) return;
        get().notify('error', `measured depth of ${photo.name}: ${(err as Error).message}`);
      });
  };

  api.subscribe((s, prev) => {
    for (const id of Object.keys(prev.measuredDepth)) {
      if (s.measuredDepth[id]) continue;
      holdings.forget(id);
      void studioWorker()
        .request('depth-unmeasure', { photoId: id })
        .catch(() => undefined);
    }
    if (s.model.status === 'ready' && prev.model.status !== 'ready') {
      // The worker's models start afresh at every load: it needs the fine-tuned one again, and the measurements.
      holdings.clear();
      if (s.tunedDepth) void studioWorker().request('depth-model', { model: s.tunedDepth.model }).catch((err: Error) => get().notify('error', `the fine-tuned depth model could not be loaded: ${err.message}`));
    }
    if (s.measuredDepth !== prev.measuredDepth || s.superpixels !== prev.superpixels || s.photos !== prev.photos || s.tunedDepth !== prev.tunedDepth || s.model !== prev.model) {
      for (const id of Object.keys(s.measuredDepth)) check(s, id);
    }
  });

  persistPhotoPart<MeasuredDepth>({
    key: 'measuredDepth',
    select: (s, id) => s.measuredDepth[id],
    validate: validateMeasuredDepth,
    restore: (byPhoto) => set((s) => ({ measuredDepth: { ...s.measuredDepth, ...byPhoto } })),
  });

  persistPart<{ tuned?: TunedDepth }>({
    key: 'depthModel',
    select: (s) => (s.tunedDepth ? { tuned: s.tunedDepth } : {}),
    validate: validateTuned,
    // The worker gets the model before the store shows it, so no depth asked for meanwhile uses the old one.
    restore: ({ tuned }) => {
      if (get().tunedDepth === tuned) return;
      const apply = () => set({ tunedDepth: tuned, depthChecks: {} });
      if (get().model.status !== 'ready') return apply();
      studioWorker()
        .request('depth-model', { model: tuned?.model })
        .then(apply, (err: Error) => get().notify('error', `the depth model could not be set: ${err.message}`));
    },
  });

  return {
    measuredDepth: {},
    depthChecks: {},
    depthTuning: { running: false },

    async attachMeasuredDepth(photoId, file) {
      const photo = get().photos.find((p) => p.id === photoId);
      const name = file.name || 'measured depth';
      if (!photo) {
        get().notify('error', `${name}: open the photo first, then its measured depth`);
        return false;
      }
      try {
        store(photo, toMeasuredDepth(name, new Uint8Array(await file.arrayBuffer()), photo));
        return true;
      } catch (err) {
        get().notify('error', `${name}: ${(err as Error).message}`);
        return false;
      }
    },

    removeMeasuredDepth(photoId) {
      const before = get().measuredDepth[photoId];
      const photo = get().photos.find((p) => p.id === photoId);
      if (!before || !photo) return;
      get().record({ label: `remove measured depth of ${photo.name}`, apply: () => put(photoId, undefined), revert: () => put(photoId, before) });
    },

    async isMeasuredDepthFile(file, dropped) {
      const size = await depthPngSize(file);
      if (!size) return false;
      const stems = photoStemsOfDepth(file.name);
      if (stems.length > 1 || /depth/i.test(file.name)) return true;
      // NYUv2's layout: rgb/0001.png beside depth_mm/0001.png, the same name in two folders.
      const names = [...get().photos.map((p) => p.name), ...dropped.filter((f) => f !== file).map((f) => f.name)];
      return names.some((n) => stems.includes(fileStem(n).toLowerCase()));
    },

    async claimMeasuredDepthFile(file) {
      const size = (await depthPngSize(file))!;
      const stems = photoStemsOfDepth(file.name);
      const fits = (p: Photo) => p.originalWidth === size.width && p.originalHeight === size.height;
      const { photos, activePhotoId } = get();
      const named = photos.filter((p) => stems.includes(fileStem(p.name).toLowerCase()) && fits(p));
      const active = photos.find((p) => p.id === activePhotoId);
      const photo = named.find((p) => p.id === activePhotoId) ?? named[0] ?? (active && fits(active) ? active : undefined);
      if (!photo) {
        get().notify('error', `${file.name}: a depth map (16-bit) that matches no open photo by name and size (${size.width}×${size.height}; name it after its photo, e.g. ${fileStem(active?.name ?? 'photo.png')}_depth.png)`);
        return;
      }
      await get().attachMeasuredDepth(photo.id, file);
    },

    async fineTuneDepth() {
      const s = get();
      const ids = s.photos.filter((p) => s.measuredDepth[p.id]).map((p) => p.id);
      if (ids.length === 0 || s.depthTuning.running || s.model.status !== 'ready') return;
      set({ depthTuning: { running: true } });
      try {
        // Photos measured before a reload are not in the worker yet: analysed once, their measurements go over.
        await analysedAgain(api, ids, (id) => holdings.heldAs(id)?.depth === get().measuredDepth[id]);
        const result = await studioWorker().request('depth-finetune', { photoIds: ids, lambda: DEPTH_FINETUNE_LAMBDA });
        const names = result.photos.map((id) => get().photos.find((p) => p.id === id)?.name ?? id);
        set({ tunedDepth: { model: result.model, photos: names, photoIds: result.photos, rows: result.rows, lambda: DEPTH_FINETUNE_LAMBDA, at: new Date().toISOString() }, depthChecks: {}, depthTuning: { running: false } });
        const missing = result.missing.map((id) => get().photos.find((p) => p.id === id)?.name ?? id);
        get().notify('info', `depth fine-tuned on ${names.length} photos (${result.rows} measured superpixels, ${(result.ms / 1000).toFixed(1)} s)${missing.length ? `; not used, open them once first: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}` : ''}`);
      } catch (err) {
        set({ depthTuning: { running: false } });
        if (!isCancelled(err)) get().notify('error', `depth fine-tuning: ${(err as Error).message}`);
      }
    },

    exportDepthModel() {
      const tuned = get().tunedDepth;
      if (!tuned) return;
      // The regressor file as models/depth/ridge.json holds it, and where it came from.
      const file = { ...tuned.model, finetuned: { photos: tuned.photos, superpixels: tuned.rows, lambda: tuned.lambda, at: tuned.at } };
      download(new TextEncoder().encode(JSON.stringify(file)), 'zoomout-depth-model.json', 'application/json');
      get().notify('info', `exported the depth model fine-tuned on ${tuned.photos.length} photos (for cli depth --model)`);
    },

    async resetDepthModel() {
      if (!get().tunedDepth) return;
      try {
        await studioWorker().request('depth-model', {});
        set({ tunedDepth: undefined, depthChecks: {} });
        get().notify('info', 'depth: back to the shipped model');
      } catch (err) {
        get().notify('error', `the depth model could not be reset: ${(err as Error).message}`);
      }
    },
  };
};
