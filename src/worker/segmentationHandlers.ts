// Worker handlers for segmentation: zoom-out features cached per photo (keyed by its superpixel map, so
// retraining and level toggles never rerun the backbone or the pooling), strokes rasterized once per change,
// and the engine (ml/segmentationEngine.ts) training one head on every labelled superpixel of the open
// photos, warm-started between updates.
import * as tf from '@tensorflow/tfjs';
import { maskSource, strokeSource, type LabelSource } from '../core/labelSources.ts';
import { rasterizeStrokes, sameStrokes, type Stroke } from '../core/strokes.ts';
import type { SuperpixelMap } from '../core/types.ts';
import type { TrainedHead } from '../ml/classifierHead.ts';
import { SEGMENT_DEFAULTS, segmentPhotos, type EnginePhoto, type PhotoLabels, type SuperpixelFeatures, type TrainingRows } from '../ml/segmentationEngine.ts';
import type { UserLabels } from './retainedRows.ts';
import { zoomoutFromOutputs } from '../ml/zoomoutFeatures.ts';
import { backgroundAffinity } from '../core/diverseSampling.ts';
import { detectorClassIndex, detectorLocalization } from '../ml/detectorLocalization.ts';
import { SAMPLING_DEFAULTS, suggestPointsFrom, type PhotoSuggestions, type SampledPoint } from '../ml/sampledPoints.ts';
import { tagClassKey, withTagClasses } from './tagClassNets.ts';
import { headConfig, type HeadKind } from './headKind.ts';
import { saveHead, type HeadMode } from '../ml/headIO.ts';
import { sha256Hex } from '../ml/modelRegistry.ts';
import { labelPhotoPixels, pixelBackbone, pixelFeaturesVersion, trainPixelMode, type PixelRunPhoto } from './pixelSegmentation.ts';
import { WorkerError } from './protocol.ts';
import type { MaskRef, PhotoMask, PhotoSegmentation, PhotoStrokes, SegmentationRequests, SegmentRequest, SegmentResult, SuggestionSettings } from './segmentationProtocol.ts';
import { context, requireBackbone, requireSuperpixels, type Disposable, type Handlers } from './workerContext.ts';

const SLOT = 'zoomout';

interface SuggestionSlot extends PhotoSuggestions {
  key: string;
}

interface FeatureSlot extends SuperpixelFeatures, Disposable {
  mapId: number;
  /** The last strokes rasterized on this map and their label source. */
  strokes?: { list: Stroke[]; source: LabelSource };
  /** The last suggestions sampled on this map, by their settings. */
  suggestions?: SuggestionSlot;
  /** The last segmentation of this photo, kept for edge refinement (crfHandlers.ts). */
  prediction?: { run: number; classes: number; probabilities: Float32Array; strokes?: Int32Array };
}

/** The previous head, to warm-start from (superpixel mode); tied to the backend its tensors live on. */
let lastHead: { model: TrainedHead; backend: string; mode: HeadMode; features: number } | undefined;

function replaceLastHead(model: TrainedHead, mode: HeadMode): void {
  const backend = tf.getBackend();
  if (lastHead?.backend === backend) lastHead.model.head.dispose();
  // A pixel head goes with the backbone its features came from (pixelSegmentation.ts: pixelFeaturesVersion).
  lastHead = { model, backend, mode, features: mode === 'pixel' ? pixelFeaturesVersion() : 0 };
}

/** The last head if it was trained in `mode` on this backend, else the no-labels error the UI knows. */
function currentHead(mode: HeadMode): TrainedHead {
  if (!lastHead || lastHead.backend !== tf.getBackend() || lastHead.mode !== mode) throw new WorkerError('no-labels', 'no head trained yet: paint a few strokes first');
  return lastHead.model;
}

let runs = 0;

/** Ground-truth masks handed over once per version (a mask is ~190 KB; a set's masks would cross on every stroke). */
const groundTruths = new Map<string, PhotoMask>();

function resolveMasks(refs: readonly MaskRef[] = []): PhotoMask[] {
  return refs.map(({ photoId, version }) => {
    const mask = groundTruths.get(photoId);
    if (mask?.version !== version) throw new WorkerError('failed', `the worker holds no version ${version} of the ground truth of ${photoId}`);
    return mask;
  });
}

/** Forgets a closed photo's ground truth. */
export function forgetGroundTruth(photoId: string): void {
  groundTruths.delete(photoId);
}

/** The photo's features for its current superpixels, computed once (the engine's default settings). */
export async function cachedFeatures(photoId: string): Promise<FeatureSlot> {
  const { entry, map, mapId } = requireSuperpixels(photoId);
  if (!entry.backbone) throw new WorkerError('not-resident', 'this photo has not been analysed yet');
  const cached = entry.slots.get(SLOT) as FeatureSlot | undefined;
  if (cached?.mapId === mapId) return cached;
  cached?.dispose();
  const z = await zoomoutFromOutputs(entry.backbone.outputs, map, requireBackbone().manifest, { ...SEGMENT_DEFAULTS.features, flip: false });
  const slot: FeatureSlot = { ...z, map, mapId, dispose: () => z.features.dispose(), tensors: 1 };
  entry.slots.set(SLOT, slot);
  return slot;
}

/** The user's strokes on the slot's map as a hard label source, rasterized only when they changed. */
function strokesOn(slot: FeatureSlot, strokes: Stroke[]): LabelSource {
  if (slot.strokes && sameStrokes(slot.strokes.list, strokes)) return slot.strokes.source;
  const source = strokeSource(slot.map, rasterizeStrokes(strokes, slot.map.width, slot.map.height));
  slot.strokes = { list: strokes, source };
  return source;
}

/** The suggested points on the slot's map (thesis §4.3), sampled only when the settings changed. */
async function suggestionsOn(photoId: string, slot: FeatureSlot, settings: Omit<SuggestionSettings, 'off'>): Promise<SuggestionSlot> {
  const key = JSON.stringify([settings.strategy, settings.k, settings.classNames, tagClassKey(settings, photoId)]);
  if (slot.suggestions?.key === key) return slot.suggestions;
  const labelSet = { id: 'suggestions', classes: settings.classNames.map((name) => ({ name, color: '#000000' })) };
  const detector = await detectorLocalization(slot.features, slot.layout, detectorClassIndex(labelSet, requireBackbone().manifest.heatmaps.classes));
  const localization = await withTagClasses(detector, slot, settings, photoId);
  const suggestions = await suggestPointsFrom(slot, localization, { ...SAMPLING_DEFAULTS, strategy: settings.strategy, k: settings.k });
  slot.suggestions = { key, ...suggestions };
  return slot.suggestions;
}

/** Values scaled to 0..1 by their maximum (an all-zero map stays zero). */
function unitScaled(values: Float32Array): Float32Array {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max > 0 ? values.map((v) => v / max) : values;
}

/** Features and label sources of the photos the worker holds; the ids of those it does not. */
export async function enginePhotos(
  ids: readonly string[],
  strokes: readonly PhotoStrokes[],
  suggestions?: SuggestionSettings,
  masks: readonly PhotoMask[] = [],
): Promise<{ photos: EnginePhoto[]; notResident: string[]; maps: Map<string, { map: SuperpixelMap; mapId: number; points: SampledPoint[] }> }> {
  const photos: EnginePhoto[] = [];
  const notResident: string[] = [];
  const maps = new Map<string, { map: SuperpixelMap; mapId: number; points: SampledPoint[] }>();
  for (const id of new Set(ids)) {
    if (!context.photos.get(id)?.superpixels) {
      notResident.push(id);
      continue;
    }
    const slot = await cachedFeatures(id);
    const list = strokes.find((s) => s.photoId === id)?.strokes ?? [];
    const sample = suggestions && !suggestions.off.includes(id) ? (await suggestionsOn(id, slot, suggestions)).sample : undefined;
    const mask = masks.find((m) => m.photoId === id)?.classes;
    // A mask of another size belongs to an older working copy: it is not used rather than stretched.
    const truth = mask?.length === slot.map.labels.length ? [maskSource(slot.map, mask)] : [];
    const sources = [...(sample ? [sample.source] : []), ...truth, ...(list.length ? [strokesOn(slot, list)] : [])];
    photos.push({ id, photo: slot, sources, allowed: sample?.allowed });
    maps.set(id, { map: slot.map, mapId: slot.mapId, points: sample?.points ?? [] });
  }
  return { photos, notResident, maps };
}

/** One photo as the engine sees it, or a not-resident error the UI answers by analysing it again. */
async function residentPhoto(photoId: string, training: readonly PhotoStrokes[], suggestions: SuggestionSettings | undefined, masks: readonly PhotoMask[]) {
  const found = await enginePhotos([photoId], training, suggestions, masks);
  if (found.photos.length === 0) throw new WorkerError('not-resident', 'the worker holds no superpixels of this photo (analyse it first)');
  return found;
}

function photoSegmentation(p: PhotoLabels, photo: { mapId: number; points: SampledPoint[] }, run: number): PhotoSegmentation {
  return {
    photoId: p.id,
    mapId: photo.mapId,
    run,
    classes: Uint8Array.from(p.classes),
    confidence: Uint8Array.from(p.confidence, (c) => Math.round(c * 255)),
    labelled: p.fixed,
    superpixels: p.classes.length,
    points: photo.points,
  };
}

/** Each labelled photo's prediction of this run, on its feature slot, for edge refinement (crfHandlers.ts). */
function rememberPredictions(photos: readonly EnginePhoto<string, TrainingRows>[], predictions: readonly PhotoLabels[], classes: number, run: number): void {
  for (const p of predictions) {
    const photo = photos.find((e) => e.id === p.id)!;
    const strokes = photo.sources.find((s) => s.kind === 'strokes')?.labels;
    (photo.photo as FeatureSlot).prediction = { run, classes, probabilities: p.probabilities, strokes };
  }
}

/** The user's labels of a photo in a request: its strokes and ground-truth mask. */
function userLabels(id: string, training: readonly PhotoStrokes[], masks: readonly PhotoMask[] = []): UserLabels {
  return { strokes: training.find((t) => t.photoId === id)?.strokes ?? [], maskVersion: masks.find((m) => m.photoId === id)?.version };
}

/** Keeps the user-labelled rows of resident photos, for when the cache has evicted them (retainedRows.ts). */
async function keepUserRows(photos: readonly EnginePhoto[], maps: Map<string, { mapId: number }>, training: readonly PhotoStrokes[], masks?: readonly PhotoMask[]): Promise<void> {
  for (const p of photos) {
    const labels = userLabels(p.id, training, masks);
    if (labels.strokes.length || labels.maskVersion !== undefined) await context.retained.keep(p.id, labels, maps.get(p.id)!.mapId, p.photo, p.sources);
  }
}

export function trainOptions(head: HeadKind) {
  return { ...SEGMENT_DEFAULTS.train, head: headConfig(head) };
}

const isResident = (id: string) => Boolean(context.photos.get(id)?.backbone && context.photos.get(id)?.superpixels);

/** Each labelled photo's label sources for pixel mode: strokes, ground truth, suggested points (of targets). */
export async function pixelRunPhotos({ training, masks: refs, suggestions }: Pick<SegmentRequest, 'training' | 'masks' | 'suggestions'>, targets: readonly string[]): Promise<PixelRunPhoto[]> {
  const masks = resolveMasks(refs);
  const suggested = suggestions ? targets.filter((id) => !suggestions.off.includes(id)) : [];
  const photos: PixelRunPhoto[] = [];
  for (const id of new Set([...training.map((t) => t.photoId), ...masks.map((m) => m.photoId), ...suggested])) {
    const points = suggestions && suggested.includes(id) && isResident(id) ? (await suggestionsOn(id, await cachedFeatures(id), suggestions)).sample.source : undefined;
    photos.push({ id, labels: { strokes: training.find((t) => t.photoId === id)?.strokes ?? [], mask: masks.find((m) => m.photoId === id)?.classes, points } });
  }
  return photos;
}

/** A segment request in pixel mode (pixelSegmentation.ts): the held photos' label sources train the grid head. */
async function segmentPixels(req: SegmentRequest, signal: AbortSignal): Promise<SegmentResult> {
  const { training, targets, classes, levels, head } = req;
  const t0 = performance.now();
  const strokesOf = (id: string) => training.find((t) => t.photoId === id)?.strokes ?? [];
  const photos = await pixelRunPhotos(req, targets);
  const t1 = performance.now();
  const { model, notTrained } = await trainPixelMode(photos, classes, { ...trainOptions(head), levels, signal });
  replaceLastHead(model, 'pixel');
  const run = ++runs;
  const t2 = performance.now();
  const out: PhotoSegmentation[] = [];
  const notResident: string[] = [];
  for (const id of new Set(targets)) {
    signal.throwIfAborted();
    if (isResident(id)) out.push(await labelPhotoPixels(model, id, strokesOf(id), run));
    else notResident.push(id);
  }
  return { photos: out, notResident, unlearned: [], notTrained, losses: [], timings: { featuresMs: t1 - t0, trainMs: t2 - t1, predictMs: performance.now() - t2 } };
}

export const segmentationHandlers: Handlers<keyof SegmentationRequests> = {
  async 'ground-truth'(mask) {
    groundTruths.set(mask.photoId, mask);
    return null;
  },

  async segment(req, progress, signal) {
    if (req.mode === 'pixel') return segmentPixels(req, signal);
    const { training, masks: refs, suggestions, targets, classes, levels, head } = req;
    const t0 = performance.now();
    const masks = resolveMasks(refs);
    const ids = [...training.map((t) => t.photoId), ...masks.map((m) => m.photoId), ...targets];
    const { photos: resident, notResident, maps } = await enginePhotos(ids, training, suggestions, masks);
    await keepUserRows(resident, maps, training, masks);
    // Labelled photos the cache evicted train through the rows kept of them; any without rows must be analysed again.
    const labelled = new Set([...training.map((t) => t.photoId), ...masks.map((m) => m.photoId)]);
    const fromRows = notResident.flatMap((id) => (labelled.has(id) ? (context.retained.rowsFor(id, userLabels(id, training, masks)) ?? []) : []));
    const unlearned = notResident.filter((id) => labelled.has(id) && !fromRows.some((p) => p.id === id));
    const photos = [...resident, ...fromRows];
    const t1 = performance.now();
    const losses: number[] = [];
    const backend = tf.getBackend();
    const result = await segmentPhotos(photos, {
      classes,
      levels,
      targets,
      settings: { train: trainOptions(head), smoothing: SEGMENT_DEFAULTS.smoothing },
      warmStart: lastHead?.backend === backend && lastHead.mode === 'superpixel' ? lastHead.model : undefined,
      signal,
      onProgress: (p) => {
        losses.push(p.loss);
        // The linear head's solver (epochs 0) reports iterations of unknown number; Adam, epochs of a known one.
        if (p.epoch % 10 === 0 || p.epoch === p.epochs) progress({ message: `training, loss ${p.loss.toFixed(3)}`, ...(p.epochs ? { fraction: p.epoch / p.epochs } : {}) });
      },
    });
    replaceLastHead(result.trained!, 'superpixel');
    const run = ++runs;
    rememberPredictions(photos, result.photos, classes, run);
    const out = result.photos.map((p) => photoSegmentation(p, maps.get(p.id)!, run));
    return { photos: out, notResident, unlearned, losses, timings: { featuresMs: t1 - t0, trainMs: result.timings.trainMs, predictMs: result.timings.predictMs } };
  },

  async retain({ photoId, strokes, mask }) {
    const training = [{ photoId, strokes }];
    const masks = resolveMasks(mask ? [mask] : []);
    const { photos, maps } = await residentPhoto(photoId, training, undefined, masks);
    await keepUserRows(photos, maps, training, masks);
    return null;
  },

  async predict({ photoId, training, masks: refs, suggestions, classes, levels, mode }) {
    const masks = resolveMasks(refs);
    const head = currentHead(mode ?? 'superpixel');
    if (mode === 'pixel') {
      if (!isResident(photoId)) throw new WorkerError('not-resident', 'the worker holds no superpixels of this photo (analyse it first)');
      return labelPhotoPixels(head, photoId, training.find((t) => t.photoId === photoId)?.strokes ?? [], runs);
    }
    const { photos, maps } = await residentPhoto(photoId, training, suggestions, masks);
    const result = await segmentPhotos(photos, { classes, levels, head, settings: SEGMENT_DEFAULTS });
    rememberPredictions(photos, result.photos, classes, runs);
    return photoSegmentation(result.photos[0], maps.get(photoId)!, runs);
  },

  async localization({ photoId, suggestions, map }) {
    const slot = await cachedFeatures(photoId);
    const { sample, localization, z, dim } = await suggestionsOn(photoId, slot, suggestions);
    if (map === 'background') {
      const foreground = sample.points.filter((p) => p.classIndex !== SAMPLING_DEFAULTS.background).map((p) => p.superpixel);
      return { mapId: slot.mapId, values: backgroundAffinity(z, dim, foreground) };
    }
    const { scores, classes } = localization;
    if (!(map >= 0 && map < classes)) throw new WorkerError('failed', `no class ${map}`);
    return { mapId: slot.mapId, values: unitScaled(Float32Array.from({ length: slot.map.count }, (_, s) => scores[s * classes + map])) };
  },

  // ---- exportHead: the last trained head as JSON (the CLI's --head format) ----
  async exportHead({ labelSet }) {
    if (!lastHead || lastHead.backend !== tf.getBackend()) throw new WorkerError('no-labels', 'no head trained yet: paint a few strokes first');
    const head = await saveHead(lastHead.model, labelSet, lastHead.mode);
    if (lastHead.mode !== 'pixel' || lastHead.features === 0) return { head };
    // Fine-tuned since: the head reads features of the fine-tuned backbone, whose weights must go with it.
    const tuned = pixelBackbone();
    if (tuned?.version !== lastHead.features) throw new WorkerError('stale', 'the head is being retrained on the current backbone: export again in a moment');
    const { data, specs } = await tuned.backbone.encodeWeights(tuned.blocks);
    return { head, backbone: { finetune: tuned.blocks, sha256: await sha256Hex(data), specs, data: new Uint8Array(data) } };
  },
};
