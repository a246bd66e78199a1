// Worker handlers for segmentation: zoom-out features cached per photo (keyed by its superpixel map, so
// retraining and level toggles never rerun the backbone or the pooling), one head trained on every labelled
// superpixel of the open photos and warm-started between updates, predictions painted back to pixels.
import * as tf from '@tensorflow/tfjs';
import { superpixelLabelsFromScribbles } from '../core/scribbles.ts';
import type { SuperpixelMap } from '../core/types.ts';
import type { TrainedHead } from '../ml/classifierHead.ts';
import { headConfig } from './headKind.ts';
import { stackTrainingSet } from './trainingSet.ts';
import { labelSuperpixels } from '../ml/graphSmoothing.ts';
import { trainHead } from '../ml/trainHead.ts';
import { zoomoutFromOutputs, type ZoomoutFeatures } from '../ml/zoomoutFeatures.ts';
import { SEGMENT_DEFAULTS } from '../ml/segmentPipeline.ts';
import { context, requireBackbone, type Handlers } from './workerContext.ts';
import type { PhotoSegmentation, SegmentationRequests } from './segmentationProtocol.ts';

const SLOT = 'zoomout';

export interface FeatureSlot extends ZoomoutFeatures {
  map: SuperpixelMap;
  dispose(): void;
}

/** The previous head, to warm-start from; tied to the backend its tensors live on. */
let lastHead: { model: TrainedHead; backend: string } | undefined;

/** The photo's features for its current superpixels, computed once (the `segment` pipeline's settings). */
export async function photoFeatures(photoId: string): Promise<FeatureSlot> {
  const entry = context.photos.get(photoId);
  if (!entry?.backbone || !entry.superpixels) throw new Error('this photo has no superpixels yet');
  const cached = entry.slots.get(SLOT) as FeatureSlot | undefined;
  if (cached?.map === entry.superpixels) return cached;
  cached?.dispose();
  const map = entry.superpixels;
  const z = await zoomoutFromOutputs(entry.backbone.outputs, map, requireBackbone().manifest, { ...SEGMENT_DEFAULTS.features, flip: false });
  const slot: FeatureSlot = { ...z, map, dispose: () => z.features.dispose() };
  entry.slots.set(SLOT, slot);
  return slot;
}

function paint(map: SuperpixelMap, classes: Int32Array, confidence: Float32Array): { classes: Uint8Array; confidence: Uint8Array } {
  const n = map.width * map.height;
  const c = new Uint8Array(n);
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = map.labels[i];
    c[i] = classes[s];
    p[i] = Math.round(confidence[s] * 255);
  }
  return { classes: c, confidence: p };
}

export const segmentationHandlers: Handlers<keyof SegmentationRequests> = {
  async segment({ training, targets, classes, levels, head }, progress, signal) {
    const t0 = performance.now();
    const photos = [...new Set([...training.map((t) => t.photoId), ...targets])].filter((id) => context.photos.get(id)?.superpixels);
    const features = new Map<string, FeatureSlot>();
    for (const id of photos) features.set(id, await photoFeatures(id));
    const labels = new Map(
      training.filter((t) => features.has(t.photoId)).map((t) => [t.photoId, superpixelLabelsFromScribbles(features.get(t.photoId)!.map, t.scribbles)]),
    );
    const t1 = performance.now();

    const used = [...labels.keys()].filter((id) => labels.get(id)!.some((l) => l >= 0));
    if (used.length === 0) throw new Error('paint at least one superpixel first');
    const losses: number[] = [];
    const { features: all, labels: joined } = stackTrainingSet(used.map((id) => ({ features: features.get(id)!.features, labels: labels.get(id)! })));
    let model: TrainedHead;
    try {
      model = await trainHead(all, features.get(used[0])!.layout, joined, classes, {
        ...SEGMENT_DEFAULTS.train,
        head: headConfig(head),
        levels,
        warmStart: lastHead?.backend === tf.getBackend() ? lastHead.model : undefined,
        signal,
        onProgress: (p) => {
          losses.push(p.loss);
          if (p.epoch % 10 === 0 || p.epoch === p.epochs) progress({ message: `training, loss ${p.loss.toFixed(3)}`, fraction: p.epoch / p.epochs });
        },
      });
    } finally {
      all.dispose();
    }
    if (lastHead?.backend === tf.getBackend()) lastHead.model.head.dispose();
    lastHead = { model, backend: tf.getBackend() };
    const t2 = performance.now();

    const out: PhotoSegmentation[] = [];
    for (const id of targets.filter((t) => features.has(t))) {
      const f = features.get(id)!;
      const prediction = await labelSuperpixels(model, f.features, f.map, { clicked: labels.get(id), levels, smoothing: SEGMENT_DEFAULTS.smoothing });
      const clicked = labels.get(id);
      out.push({
        photoId: id,
        width: f.map.width,
        height: f.map.height,
        ...paint(f.map, prediction.classes, prediction.confidence),
        labelled: clicked ? clicked.filter((l) => l >= 0).length : 0,
        superpixels: f.map.count,
      });
    }
    return { photos: out, losses, timings: { featuresMs: t1 - t0, trainMs: t2 - t1, predictMs: performance.now() - t2 } };
  },
};
