// Worker handlers for segmentation: zoom-out features cached per photo (keyed by its superpixel map, so
// retraining and level toggles never rerun the backbone or the pooling), strokes rasterized once per change,
// and the engine (ml/segmentationEngine.ts) training one head on every labelled superpixel of the open
// photos, warm-started between updates.
import * as tf from '@tensorflow/tfjs';
import { strokeSource, type LabelSource } from '../core/labelSources.ts';
import { rasterizeStrokes, type Stroke } from '../core/strokes.ts';
import type { SuperpixelMap } from '../core/types.ts';
import type { TrainedHead } from '../ml/classifierHead.ts';
import { SEGMENT_DEFAULTS, segmentPhotos, type EnginePhoto, type SuperpixelFeatures } from '../ml/segmentationEngine.ts';
import { zoomoutFromOutputs } from '../ml/zoomoutFeatures.ts';
import { headConfig, type HeadKind } from './headKind.ts';
import { WorkerError } from './protocol.ts';
import type { PhotoSegmentation, PhotoStrokes, SegmentationRequests } from './segmentationProtocol.ts';
import { context, requireBackbone, requireSuperpixels, type Handlers } from './workerContext.ts';

const SLOT = 'zoomout';

interface FeatureSlot extends SuperpixelFeatures {
  mapId: number;
  /** The last strokes rasterized on this map and their label source. */
  strokes?: { list: Stroke[]; source: LabelSource };
  dispose(): void;
}

/** The previous head, to warm-start from; tied to the backend its tensors live on. */
let lastHead: { model: TrainedHead; backend: string } | undefined;

/** The photo's features for its current superpixels, computed once (the engine's default settings). */
export async function cachedFeatures(photoId: string): Promise<FeatureSlot> {
  const { entry, map, mapId } = requireSuperpixels(photoId);
  if (!entry.backbone) throw new WorkerError('not-resident', 'this photo has not been analysed yet');
  const cached = entry.slots.get(SLOT) as FeatureSlot | undefined;
  if (cached?.mapId === mapId) return cached;
  cached?.dispose();
  const z = await zoomoutFromOutputs(entry.backbone.outputs, map, requireBackbone().manifest, { ...SEGMENT_DEFAULTS.features, flip: false });
  const slot: FeatureSlot = { ...z, map, mapId, dispose: () => z.features.dispose() };
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

function sameStrokes(a: Stroke[], b: Stroke[]): boolean {
  return a.length === b.length && a.every((s, i) => s.classIndex === b[i].classIndex && s.radius === b[i].radius && s.points.length === b[i].points.length && s.points.every((v, k) => v === b[i].points[k]));
}

/** Features and label sources of the photos the worker holds; the ids of those it does not. */
export async function enginePhotos(ids: readonly string[], strokes: readonly PhotoStrokes[]): Promise<{ photos: EnginePhoto[]; notResident: string[]; maps: Map<string, { map: SuperpixelMap; mapId: number }> }> {
  const photos: EnginePhoto[] = [];
  const notResident: string[] = [];
  const maps = new Map<string, { map: SuperpixelMap; mapId: number }>();
  for (const id of new Set(ids)) {
    if (!context.photos.get(id)?.superpixels) {
      notResident.push(id);
      continue;
    }
    const slot = await cachedFeatures(id);
    const list = strokes.find((s) => s.photoId === id)?.strokes ?? [];
    photos.push({ id, photo: slot, sources: list.length ? [strokesOn(slot, list)] : [] });
    maps.set(id, { map: slot.map, mapId: slot.mapId });
  }
  return { photos, notResident, maps };
}

export function trainOptions(head: HeadKind) {
  return { ...SEGMENT_DEFAULTS.train, head: headConfig(head) };
}

export const segmentationHandlers: Handlers<keyof SegmentationRequests> = {
  async segment({ training, targets, classes, levels, head }, progress, signal) {
    const t0 = performance.now();
    const { photos, notResident, maps } = await enginePhotos([...training.map((t) => t.photoId), ...targets], training);
    const t1 = performance.now();
    const losses: number[] = [];
    const backend = tf.getBackend();
    const result = await segmentPhotos(photos, {
      classes,
      levels,
      targets,
      settings: { train: trainOptions(head), smoothing: SEGMENT_DEFAULTS.smoothing },
      warmStart: lastHead?.backend === backend ? lastHead.model : undefined,
      signal,
      onProgress: (p) => {
        losses.push(p.loss);
        if (p.epoch % 10 === 0 || p.epoch === p.epochs) progress({ message: `training, loss ${p.loss.toFixed(3)}`, fraction: p.epoch / p.epochs });
      },
    });
    if (lastHead?.backend === backend) lastHead.model.head.dispose();
    lastHead = { model: result.trained!, backend };
    const out: PhotoSegmentation[] = result.photos.map((p) => ({
      photoId: p.id,
      mapId: maps.get(p.id)!.mapId,
      classes: Uint8Array.from(p.classes),
      confidence: Uint8Array.from(p.confidence, (c) => Math.round(c * 255)),
      labelled: p.fixed,
      superpixels: p.classes.length,
    }));
    return { photos: out, notResident, losses, timings: { featuresMs: t1 - t0, trainMs: result.timings.trainMs, predictMs: result.timings.predictMs } };
  },
};
