// Thesis §3.4.3, Table 3.4: for each cumulative zoom-out level set, a fresh head trained by the engine on the
// user's strokes, its labelling scored against the ground truth as one pooled mIoU, with the
// superpixel-majority oracle as the ceiling; and the oracle of one photo, where its superpixels are.
import * as tf from '@tensorflow/tfjs';
import { paintSuperpixels } from '../core/scribbles.ts';
import { scoringMatrix } from '../core/segmentationScore.ts';
import { superpixelOracle } from '../core/superpixelOracle.ts';
import { cumulativeLevelSets } from '../ml/levels.ts';
import { segmentPhotos, SEGMENT_DEFAULTS } from '../ml/segmentationEngine.ts';
import type { AblationRequests, AblationRow } from './ablationProtocol.ts';
import { WorkerError } from './protocol.ts';
import { enginePhotos, trainOptions } from './segmentationHandlers.ts';
import { requireSuperpixels, type Handlers } from './workerContext.ts';

export const ablationHandlers: Handlers<keyof AblationRequests> = {
  async ablation({ photos, classes, head }, progress, signal) {
    if (photos.length === 0) throw new WorkerError('no-labels', 'load a ground truth for a photo with superpixels first');
    const { photos: inputs, notResident } = await enginePhotos(
      photos.map((p) => p.photoId),
      photos,
    );
    if (notResident.length) throw new WorkerError('not-resident', `${notResident.length} of the photos are no longer analysed: open them again`);
    const truths = new Map(photos.map((p) => [p.photoId, p.groundTruth]));
    for (const p of inputs) if (truths.get(p.id)!.length !== p.photo.map.width * p.photo.map.height) throw new WorkerError('failed', `the ground truth of ${p.id} does not match its superpixels`);
    const labelled = inputs.reduce((n, p) => n + (p.sources[0]?.labels.filter((l) => l >= 0).length ?? 0), 0);
    if (labelled === 0) throw new WorkerError('no-labels', 'paint strokes on a photo with ground truth first');

    const oracle = scoringMatrix(classes, [...truths.values()]);
    for (const p of inputs) {
      const gt = truths.get(p.id)!;
      oracle.add(gt, paintSuperpixels(p.photo.map, superpixelOracle(p.photo.map.labels, p.photo.map.count, gt).majority));
    }

    const sets = cumulativeLevelSets(inputs[0].photo.layout.blocks.map((b) => b.level));
    const rows: AblationRow[] = [];
    for (const [i, set] of sets.entries()) {
      signal.throwIfAborted();
      progress({ message: `${set.label} (${i + 1}/${sets.length})`, fraction: i / sets.length });
      // No warm start: each row starts from the same seed, so rows differ only by their levels.
      const result = await segmentPhotos(inputs, { classes, levels: set.levels, settings: { train: trainOptions(head), smoothing: SEGMENT_DEFAULTS.smoothing }, signal });
      result.trained?.head.dispose();
      const matrix = scoringMatrix(classes, [...truths.values()]);
      for (const p of result.photos) matrix.add(truths.get(p.id)!, paintSuperpixels(inputs.find((q) => q.id === p.id)!.photo.map, p.classes));
      rows.push({ label: set.label, levels: set.levels, miou: matrix.meanIoU(), trainMs: result.timings.trainMs });
    }
    progress({ message: 'done', fraction: 1 });
    return { rows, oracle: oracle.meanIoU(), photos: inputs.length, labelled, numTensors: tf.memory().numTensors };
  },

  async oracle({ photoId, groundTruth }) {
    const { map, mapId } = requireSuperpixels(photoId);
    if (groundTruth.length !== map.labels.length) throw new WorkerError('failed', 'the ground truth does not match the superpixels');
    const { miou, iou, pixelAccuracy } = superpixelOracle(map.labels, map.count, groundTruth);
    return { miou, iou, pixelAccuracy, mapId };
  },
};
