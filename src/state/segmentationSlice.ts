// Segmentation in the studio: after every edit the head retrains on all strokes of the open photos and every
// photo with superpixels is relabelled (a newer request cancels the one in flight, so painting stays live);
// per-level toggles for ablation; export of the mask as a class-index PNG at the photo's original size.
import type { StateCreator } from 'zustand';
import { maskFileName } from '../core/fileNames.ts';
import { exportPalette } from '../core/labelSets.ts';
import { encodeClassIndexPng } from '../core/pngCodec.ts';
import { resizeNearest } from '../core/resizeNearest.ts';
import type { LevelId } from '../ml/backboneManifest.ts';
import { ALL_LEVELS, DEFAULT_LEVELS } from '../ml/levels.ts';
import { isCancelled } from '../worker/client.ts';
import { WorkerError } from '../worker/protocol.ts';
import type { SamplingStrategy } from '../core/diverseSampling.ts';
import { SAMPLING_DEFAULTS } from '../ml/samplingDefaults.ts';
import type { HeadMode } from '../ml/headIO.ts';
import type { HeadKind, MaskRef, PhotoSegmentation, PhotoStrokes, SegmentRequest, SegmentResult } from '../worker/segmentationProtocol.ts';
import { editKind } from './historySlice.ts';
import { persistPart, persistPhotoPart, validNumber } from './persistence.ts';
import { segmentationPixels } from './segmentationPixels.ts';
import { tagClassSettings } from './tagClassSlice.ts';
import { download } from './download.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';


export type SegmentationView = 'classes' | 'uncertainty' | 'none';

export interface Suggestions {
  /** Photos are segmented from sampled points before (and while) the user paints. */
  enabled: boolean;
  strategy: SamplingStrategy;
  k: number;
}

export interface SegmentationSlice {
  levels: Record<LevelId, boolean>;
  suggestions: Suggestions;
  /** Photos whose suggestions the user cleared (their segmentation comes from strokes only). */
  suggestionsOff: Record<string, true>;
  setSuggestions(patch: Partial<Suggestions>): void;
  /** Clears (or restores) the suggested points of one photo; undoable. */
  setPhotoSuggestions(photoId: string, on: boolean): void;
  headKind: HeadKind;
  /** Superpixel labels (thesis §3.3) or a label per pixel from the stride-4 grid's hypercolumns (§3.5). */
  segmentationMode: HeadMode;
  setSegmentationMode(mode: HeadMode): void;
  /** The open photos' ground-truth masks train the head too (fully supervised, one head for the set). */
  trainOnGroundTruth: boolean;
  setTrainOnGroundTruth(on: boolean): void;
  segmentations: Record<string, PhotoSegmentation>;
  /** The worker's run that made the newest labels: a photo's labels from an older run predate the current head. */
  segmentationRun?: number;
  /**
   * Labels a photo with the current head where its labels predate it, are for other superpixels or are missing
   * (analysing it again if the worker evicted it).
   */
  bringUpToDate(photoId: string): Promise<void>;
  /** Hands the worker what a freshly analysed photo's labels teach, kept for when its cache evicts the photo. */
  retainLabels(photoId: string): Promise<void>;
  training: {
    running: boolean;
    progress?: string;
    losses: number[];
    timings?: SegmentResult['timings'];
    /** Pixel mode: labelled photos the worker does not hold, which this head did not learn from. */
    notTrained?: string[];
    /** From the edit to the new labels in the store (what the user waits for after a click). */
    updateMs?: number;
    error?: string;
  };
  segmentationView: SegmentationView;
  segmentationOpacity: number;
  toggleLevel(level: LevelId): void;
  setHeadKind(kind: HeadKind): void;
  setSegmentationView(v: SegmentationView): void;
  setSegmentationOpacity(v: number): void;
  /** Retrains and relabels soon, cancelling a run in flight. */
  scheduleSegmentation(): void;
  /** Cancels the run in flight; the labels shown stay those of the last finished run. */
  stopTraining(): void;
  /** The label sources a segmentation run of the current state sends (fine-tuning trains on the same). */
  labelSources(): { training: PhotoStrokes[]; masks: MaskRef[]; targets: string[]; suggestions?: SegmentRequest['suggestions'] };
  exportMask(photoId: string): Promise<void>;
}

export const createSegmentationSlice: StateCreator<StudioState, [], [], SegmentationSlice> = (set, get, api) => {
  let inFlight: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  // Masks cross to the worker once per version (~190 KB each), not with every request that trains on them.
  const maskVersions = new WeakMap<object, number>();
  const handedOver = new Map<string, number>();
  let nextMaskVersion = 1;
  /** The photo's ground truth as the worker holds it, handed over first if it holds another version. */
  function maskRef(s: StudioState, photoId: string): MaskRef {
    const gt = s.groundTruth[photoId];
    let version = maskVersions.get(gt);
    if (version === undefined) maskVersions.set(gt, (version = nextMaskVersion++));
    if (handedOver.get(photoId) !== version) {
      const classes = gt.classes.slice();
      handedOver.set(photoId, version);
      void studioWorker()
        .request('ground-truth', { photoId, version, classes }, { transfer: [classes.buffer] })
        .catch(() => handedOver.delete(photoId));
    }
    return { photoId, version };
  }

  // A closed photo's mask is dropped by the worker (`forget`): handed over again should the close be undone.
  api.subscribe((s, prev) => {
    if (s.photos === prev.photos || handedOver.size === 0) return;
    const open = new Set(s.photos.map((p) => p.id));
    for (const id of handedOver.keys()) if (!open.has(id)) handedOver.delete(id);
  });

  /** What a segmentation run of the current state sends (also what `predict` labels one photo with). */
  function segmentRequest(s: StudioState): { training: PhotoStrokes[]; masks: MaskRef[]; targets: string[]; suggestions?: SegmentRequest['suggestions'] } {
    // Every stroked photo, analysed or not: one the worker holds nothing of comes back `unlearned` and is analysed
    // (a stopped sweep does not keep its strokes out of the head).
    const training = s.photos.filter((p) => (s.strokes[p.id]?.length ?? 0) > 0).map((p) => ({ photoId: p.id, strokes: s.strokes[p.id] }));
    const targets = s.photos.filter((p) => s.superpixels[p.id]).map((p) => p.id);
    const masks = s.trainOnGroundTruth ? targets.filter((id) => s.groundTruth[id]).map((id) => maskRef(s, id)) : [];
    // Suggestions carry the photos until the first stroke: mixed with clicks they cost 7–11 mIoU against the
    // clicks alone (docs/weak.md), so once the user paints, the head learns from strokes only.
    const suggesting = s.suggestions.enabled && training.length === 0 && masks.length === 0 && targets.some((id) => !s.suggestionsOff[id]);
    const suggestions = suggesting ? { strategy: s.suggestions.strategy, k: s.suggestions.k, classNames: s.labelSet.classes.map((c) => c.name), off: Object.keys(s.suggestionsOff), tagClasses: tagClassSettings(s) } : undefined;
    return { training, masks, targets, suggestions };
  }

  const updating = new Map<string, Promise<void>>();

  async function bringUpToDateNow(photoId: string): Promise<void> {
    const { segmentationRun, segmentations, superpixels } = get();
    const seg = segmentations[photoId];
    const current = seg !== undefined && seg.run === segmentationRun && seg.mapId === superpixels[photoId]?.mapId;
    if (segmentationRun === undefined || current) return;
    const predict = async (): Promise<PhotoSegmentation> => {
      const s = get();
      const { training, masks, suggestions } = segmentRequest(s);
      const levels = ALL_LEVELS.filter((l) => s.levels[l]);
      return studioWorker().request('predict', { photoId, training, masks, suggestions, classes: s.labelSet.classes.length, levels, mode: s.segmentationMode });
    };
    const analyse = async () => {
      await get().analysePhoto(photoId);
      // Its superpixels were asked for during the analysis; the labels are for the map they bring.
      await new Promise<void>((resolve) => {
        if (!get().superpixelsPending) return resolve();
        const stop = api.subscribe((st) => {
          if (st.superpixelsPending) return;
          stop();
          resolve();
        });
      });
    };
    if (!get().photos.find((p) => p.id === photoId)?.resident) await analyse();
    let fresh: PhotoSegmentation;
    try {
      fresh = await predict();
    } catch (err) {
      // Evicted since it was last analysed (the eviction's event still on its way): once more, from its pixels.
      if (!(err instanceof WorkerError && err.code === 'not-resident')) throw err;
      await analyse();
      fresh = await predict();
    }
    if (get().photos.some((p) => p.id === photoId)) set((st) => ({ segmentations: { ...st.segmentations, [photoId]: fresh } }));
  }

  async function run(requestedAt: number): Promise<void> {
    timer = undefined;
    inFlight?.abort();
    const s = get();
    const { training, masks, targets, suggestions } = segmentRequest(s);
    if (training.length === 0 && masks.length === 0 && !suggestions) {
      set({ segmentations: {}, segmentationRun: undefined, training: { running: false, losses: [] } });
      return;
    }
    const levels = ALL_LEVELS.filter((l) => s.levels[l]);
    if (levels.length === 0) {
      set({ training: { running: false, losses: [], error: 'enable at least one level' } });
      return;
    }
    const controller = new AbortController();
    inFlight = controller;
    set((st) => ({ training: { ...st.training, running: true, error: undefined, progress: 'computing features' } }));
    try {
      const result = await studioWorker().request(
        'segment',
        { training, ...(masks.length ? { masks } : {}), targets, suggestions, classes: s.labelSet.classes.length, levels, head: s.headKind, mode: s.segmentationMode },
        { signal: controller.signal, onProgress: (p) => set((st) => ({ training: { ...st.training, progress: p.message } })) },
      );
      if (controller.signal.aborted) return;
      // A photo closed while the head trained keeps nothing: its labels are dropped with it. Photos the worker no
      // longer holds keep their last labels (from an earlier head: exports bring them up to date first).
      const open = new Set(get().photos.map((p) => p.id));
      const fresh = Object.fromEntries(result.photos.filter((p) => open.has(p.photoId)).map((p) => [p.photoId, p]));
      set((st) => ({
        segmentations: { ...Object.fromEntries(Object.entries(st.segmentations).filter(([id]) => open.has(id))), ...fresh },
        segmentationRun: result.photos[0]?.run ?? st.segmentationRun,
        training: { running: false, losses: result.losses, timings: result.timings, updateMs: performance.now() - requestedAt, notTrained: result.notTrained },
      }));
      // Labelled photos the worker holds nothing of: analysed again (which hands over their rows), then trained on.
      if (result.unlearned.length) {
        void get()
          .analysePhotos(result.unlearned)
          .then(() => {
            if (result.unlearned.some((id) => get().photos.find((p) => p.id === id)?.status === 'ready')) get().scheduleSegmentation();
          });
      }
    } catch (err) {
      if (isCancelled(err) || controller.signal.aborted) return;
      // Nothing to learn from (no strokes, and no class detected to suggest): no labels, and no error either.
      if (err instanceof WorkerError && err.code === 'no-labels' && training.length === 0) set({ segmentations: {}, segmentationRun: undefined, training: { running: false, losses: [] } });
      else set((st) => ({ training: { ...st.training, running: false, error: (err as Error).message } }));
    } finally {
      if (inFlight === controller) inFlight = undefined;
    }
  }

  const setPhotoOff = (photoId: string, on: boolean) => {
    set((s) => {
      const off = { ...s.suggestionsOff };
      if (on) delete off[photoId];
      else off[photoId] = true;
      return { suggestionsOff: off };
    });
    get().scheduleSegmentation();
  };
  const photoSuggestions = editKind<{ photoId: string; on: boolean }>('photo-suggestions', ({ photoId, on }) => ({
    label: on ? 'use suggestions' : 'clear suggestions',
    apply: () => setPhotoOff(photoId, on),
    revert: () => setPhotoOff(photoId, !on),
  }));
  const flipLevel = (level: LevelId) => {
    set((s) => ({ levels: { ...s.levels, [level]: !s.levels[level] } }));
    get().scheduleSegmentation();
  };
  const toggleLevel = editKind<{ level: LevelId }>('toggle-level', ({ level }) => ({ label: `toggle ${level}`, apply: () => flipLevel(level), revert: () => flipLevel(level) }));

  persistPart<Suggestions>({
    key: 'suggestions',
    select: (s) => s.suggestions,
    validate: (v) => {
      const d = v as Suggestions;
      if (typeof d?.enabled !== 'boolean' || !['diverse', 'top-k', 'spatial'].includes(d.strategy)) throw new Error('unknown suggestion settings');
      return { ...d, k: validNumber(d.k, 1, 200) };
    },
    restore: (suggestions) => set({ suggestions }),
  });
  persistPhotoPart<true>({
    key: 'suggestionsOff',
    select: (s, id) => s.suggestionsOff[id],
    validate: (v) => {
      if (v !== true) throw new Error('not a flag');
      return true;
    },
    restore: (byPhoto) => set((s) => ({ suggestionsOff: { ...s.suggestionsOff, ...byPhoto } })),
  });

  persistPart<{ levels: Record<LevelId, boolean>; headKind: HeadKind; trainOnGroundTruth: boolean; segmentationMode: HeadMode }>({
    key: 'segmentation',
    select: (s) => ({ levels: s.levels, headKind: s.headKind, trainOnGroundTruth: s.trainOnGroundTruth, segmentationMode: s.segmentationMode }),
    validate: (v) => {
      const d = v as { levels: Record<LevelId, boolean>; headKind: HeadKind; trainOnGroundTruth?: unknown; segmentationMode?: unknown };
      if (!ALL_LEVELS.every((l) => typeof d?.levels?.[l] === 'boolean') || !['linear', 'mlp'].includes(d.headKind)) throw new Error('unknown levels or head');
      if (d.segmentationMode !== undefined && d.segmentationMode !== 'superpixel' && d.segmentationMode !== 'pixel') throw new Error('unknown segmentation mode');
      // Projects saved before these settings existed did not train on ground truth and labelled superpixels.
      return { levels: d.levels, headKind: d.headKind, trainOnGroundTruth: d.trainOnGroundTruth === true, segmentationMode: d.segmentationMode ?? 'superpixel' };
    },
    restore: (d) => set(d),
  });
  // Training on ground truth: a mask attached, replaced or removed changes what the head learns.
  api.subscribe((s, prev) => {
    if (s.trainOnGroundTruth && s.groundTruth !== prev.groundTruth) s.scheduleSegmentation();
  });

  return {
    levels: Object.fromEntries(ALL_LEVELS.map((l) => [l, DEFAULT_LEVELS.includes(l)])) as Record<LevelId, boolean>,
    suggestions: { enabled: true, strategy: SAMPLING_DEFAULTS.strategy, k: SAMPLING_DEFAULTS.k },
    suggestionsOff: {},

    setSuggestions(patch) {
      set((s) => ({ suggestions: { ...s.suggestions, ...patch } }));
      get().scheduleSegmentation();
    },
    setPhotoSuggestions(photoId, on) {
      get().record(photoSuggestions({ photoId, on }));
    },
    headKind: 'linear',
    segmentationMode: 'superpixel',
    setSegmentationMode(mode) {
      set({ segmentationMode: mode });
      get().scheduleSegmentation();
    },
    trainOnGroundTruth: false,
    setTrainOnGroundTruth(on) {
      set({ trainOnGroundTruth: on });
      get().scheduleSegmentation();
    },
    segmentations: {},
    segmentationRun: undefined,
    training: { running: false, losses: [] },

    bringUpToDate(photoId) {
      // One update per photo at a time: an export and the photo's new superpixels may both ask for it.
      let update = updating.get(photoId);
      if (!update) {
        update = bringUpToDateNow(photoId).finally(() => updating.delete(photoId));
        updating.set(photoId, update);
      }
      return update;
    },

    async retainLabels(photoId) {
      const s = get();
      const strokes = s.strokes[photoId] ?? [];
      const mask = s.trainOnGroundTruth && s.groundTruth[photoId] ? maskRef(s, photoId) : undefined;
      if (strokes.length === 0 && !mask) return;
      // Not resident any more (evicted in between): the next run reports it unlearned and it is analysed again.
      await studioWorker()
        .request('retain', { photoId, strokes, mask })
        .catch(() => undefined);
    },
    segmentationView: 'classes',
    segmentationOpacity: 0.55,

    toggleLevel(level) {
      get().record(toggleLevel({ level }));
    },
    setHeadKind(kind) {
      set({ headKind: kind });
      get().scheduleSegmentation();
    },
    setSegmentationView(v) {
      set({ segmentationView: v });
    },
    setSegmentationOpacity(v) {
      set({ segmentationOpacity: v });
    },
    scheduleSegmentation() {
      const requestedAt = performance.now();
      if (timer === undefined) timer = setTimeout(() => void run(requestedAt), 0);
    },
    stopTraining() {
      clearTimeout(timer);
      timer = undefined;
      inFlight?.abort();
      set((st) => ({ training: { ...st.training, running: false, progress: undefined, error: 'stopped' } }));
    },
    labelSources: () => segmentRequest(get()),
    async exportMask(photoId) {
      await get().bringUpToDate(photoId);
      const photo = get().photos.find((p) => p.id === photoId);
      if (get().crf) await get().refinePhoto(photoId);
      const seg = segmentationPixels(get(), photoId);
      if (!photo || !seg) {
        get().notify('error', 'nothing to export yet: paint a few strokes first');
        return;
      }
      const classes = resizeNearest(seg.classes, seg.width, seg.height, photo.originalWidth, photo.originalHeight);
      download(encodeClassIndexPng(classes, photo.originalWidth, photo.originalHeight, exportPalette(get().labelSet)), maskFileName(photo.name), 'image/png');
    },
  };
};
