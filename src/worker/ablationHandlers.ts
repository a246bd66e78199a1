// Thesis §3.4.3, Table 3.4: for each cumulative zoom-out level set, a fresh head trained on the user's strokes
// (the features, training and graph-smoothed labelling of segmentationHandlers.ts), its labelling scored
// against the ground truth as one pooled mIoU, with the superpixel-majority oracle as the ceiling.
import * as tf from '@tensorflow/tfjs';
import { paintSuperpixels, superpixelLabelsFromScribbles } from '../core/scribbles.ts';
import { superpixelOracle } from '../core/superpixelOracle.ts';
import { headConfig } from './headKind.ts';
import { labelSuperpixels } from '../ml/graphSmoothing.ts';
import { trainHead } from '../ml/trainHead.ts';
import type { AblationRequests, AblationRow } from './ablationProtocol.ts';
import { cumulativeLevelSets, scoringMatrix } from './ablationTable.ts';
import { photoFeatures } from './segmentationHandlers.ts';
import { stackTrainingSet } from './trainingSet.ts';
import { SEGMENT_DEFAULTS } from '../ml/segmentPipeline.ts';
import type { Handlers } from './workerContext.ts';

export const ablationHandlers: Handlers<keyof AblationRequests> = {
  async ablation({ photos, classes, head }, progress, signal) {
    if (photos.length === 0) throw new Error('load a ground truth for a photo with superpixels first');
    const inputs = await Promise.all(photos.map(async (p) => {
      const f = await photoFeatures(p.photoId);
      if (p.groundTruth.length !== f.map.width * f.map.height) throw new Error(`the ground truth of ${p.photoId} does not match its superpixels`);
      return { ...p, f, clicked: superpixelLabelsFromScribbles(f.map, p.scribbles) };
    }));
    const used = inputs.filter((p) => p.clicked.some((l) => l >= 0));
    if (used.length === 0) throw new Error('paint strokes on a photo with ground truth first');
    const labelled = used.reduce((n, p) => n + p.clicked.filter((l) => l >= 0).length, 0);
    const truths = inputs.map((p) => p.groundTruth);

    const oracle = scoringMatrix(classes, truths);
    for (const p of inputs) oracle.add(p.groundTruth, paintSuperpixels(p.f.map, superpixelOracle(p.f.map.labels, p.f.map.count, p.groundTruth).majority));

    const layout = used[0].f.layout;
    const sets = cumulativeLevelSets(layout.blocks.map((b) => b.level));
    const config = headConfig(head);
    const { features: all, labels: joined } = stackTrainingSet(used.map((p) => ({ features: p.f.features, labels: p.clicked })));
    const rows: AblationRow[] = [];
    try {
      for (const [i, set] of sets.entries()) {
        signal.throwIfAborted();
        progress({ message: `${set.label} (${i + 1}/${sets.length})`, fraction: i / sets.length });
        const t0 = performance.now();
        // No warm start: each row starts from the same seed, so rows differ only by their levels.
        const model = await trainHead(all, layout, joined, classes, { ...SEGMENT_DEFAULTS.train, head: config, levels: set.levels, signal });
        const trainMs = performance.now() - t0;
        try {
          const matrix = scoringMatrix(classes, truths);
          for (const p of inputs) {
            const prediction = await labelSuperpixels(model, p.f.features, p.f.map, { clicked: p.clicked, levels: set.levels, smoothing: SEGMENT_DEFAULTS.smoothing });
            matrix.add(p.groundTruth, paintSuperpixels(p.f.map, prediction.classes));
          }
          rows.push({ label: set.label, levels: set.levels, miou: matrix.meanIoU(), trainMs });
        } finally {
          model.head.dispose();
        }
      }
    } finally {
      all.dispose();
    }
    progress({ message: 'done', fraction: 1 });
    return { rows, oracle: oracle.meanIoU(), photos: inputs.length, labelled, numTensors: tf.memory().numTensors };
  },
};
