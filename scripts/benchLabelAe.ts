// Issue 12's regularizer benchmark (thesis §5.3.3, Table 5.2) on coco-mini with VOC classes, k-fold over photos:
// a pixel head (ml/pixelHead.ts, frozen backbone) trained on the VOC masks of the photos outside each held-out
// fold, with no regularizer, the shipped label autoencoder's frozen decoder, the same decoder unfrozen, and a
// randomly initialised frozen decoder; held-out mIoU at full resolution. Every variant uses the same cells, seed,
// λ and optimiser settings, fixed before the run (nothing is chosen on the held-out folds).
//   npm run bench:label-ae -- [--quick] [--folds 5] [--seeds 1] [--lambda 1] [--epochs 50] [--weight-decay 0.01]
//                             [--variants none,frozen,unfrozen,random] [--head linear|mlp]
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { vocLabelSet } from '../src/core/labelSets.ts';
import { gridLabels } from '../src/core/pixelGrid.ts';
import { resizeNearest } from '../src/core/resizeNearest.ts';
import { ConfusionMatrix } from '../src/core/segmentationScore.ts';
import { booleanFlag, numberFlag, parseArgs } from '../src/cli/command.ts';
import { headConfig, type HeadKind } from '../src/worker/headKind.ts';
import { selectBackend } from '../src/ml/backend.ts';
import { trainRegularizedPixelHead, type DecoderVariant, type RegularizedPhoto } from '../src/ml/labelAeRegularizer.ts';
import { loadBackboneFromDisk, loadLabelAutoencoderFromDisk } from '../src/ml/loadFromDisk.ts';
import { readImageRgba } from '../src/ml/nodeImage.ts';
import { disposePixelSources, photoPixelSources } from '../src/ml/pixelFeatures.ts';
import { labelPixels } from '../src/ml/pixelHead.ts';
import { SEGMENT_DEFAULTS } from '../src/ml/segmentationEngine.ts';
import { TRAIN_DEFAULTS } from '../src/ml/trainHead.ts';
import { cocoMiniDir, cocoMiniPhotos, cocoMiniTruth, mean, median, pct, photoFolds } from './cocoMiniBench.ts';

const args = parseArgs(process.argv.slice(2), {
  quick: { type: 'boolean' },
  folds: { type: 'string' },
  seeds: { type: 'string' },
  lambda: { type: 'string' },
  epochs: { type: 'string' },
  'weight-decay': { type: 'string' },
  variants: { type: 'string' },
  head: { type: 'string' },
});
const quick = booleanFlag(args, 'quick');
const FOLDS = numberFlag(args, 'folds', quick ? 2 : 5);
const seeds = numberFlag(args, 'seeds', 1);
const lambda = numberFlag(args, 'lambda', 1);
const epochs = numberFlag(args, 'epochs', TRAIN_DEFAULTS.epochs);
const weightDecay = numberFlag(args, 'weight-decay', 0.01);
const headKind = (args.flags.get('head') ?? 'linear') as HeadKind;
if (headKind !== 'linear' && headKind !== 'mlp') throw new Error(`--head: linear or mlp, not '${headKind}'`);
const head = headConfig(headKind);
const K = vocLabelSet().classes.length;
const ALL_VARIANTS: DecoderVariant[] = ['none', 'frozen', 'unfrozen', 'random'];
const VARIANTS = (args.flags.get('variants') ?? ALL_VARIANTS.join(',')).split(',') as DecoderVariant[];
for (const v of VARIANTS) if (!ALL_VARIANTS.includes(v)) throw new Error(`--variants: unknown '${v}' (expected ${ALL_VARIANTS.join(', ')})`);

const backend = await selectBackend('wasm');
const backbone = await loadBackboneFromDisk();
const ae = await loadLabelAutoencoderFromDisk();
let files = await cocoMiniPhotos();
if (quick) files = files.slice(0, 10);
console.log(
  `coco-mini: ${files.length} photos, VOC classes, backend ${backend.name}, ${FOLDS}-fold over photos, ${seeds} seed(s); ${headKind} pixel head (${head.hidden.length ? `hidden ${head.hidden.join('×')}, dropout ${head.dropout}` : 'softmax'}), ` +
    `Adam ${epochs} steps at ${TRAIN_DEFAULTS.learningRate}, weight decay ${weightDecay}, λ = ${lambda}; autoencoder ${ae.config.variant} channels at ${ae.config.size}²`,
);
const photos: (RegularizedPhoto & { gt: Uint8Array; width: number; height: number })[] = [];
for (const file of files) {
  const image = await readImageRgba(join(cocoMiniDir, 'images', file));
  const gt = await cocoMiniTruth(basename(file, '.jpg'));
  const sources = await photoPixelSources(backbone, image, { longSide: SEGMENT_DEFAULTS.features.longSide, detections: SEGMENT_DEFAULTS.features.detections });
  const { size } = ae.config;
  photos.push({ sources, labels: gridLabels(gt, image.width, image.height, sources.grid), target: resizeNearest(gt, image.width, image.height, size, size), gt, width: image.width, height: image.height });
}
backbone.dispose();

const rows: string[] = [];
const tensorsBefore = tf.memory().numTensors;
for (const decoder of VARIANTS) {
  const scores: number[] = [];
  const trainMs: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const cm = new ConfusionMatrix(K);
    for (const held of photoFolds(photos.length, FOLDS, seed)) {
      const t0 = performance.now();
      const model = await trainRegularizedPixelHead(
        photos.filter((_, i) => !held.includes(i)),
        K,
        ae,
        { decoder, lambda, head, epochs, learningRate: TRAIN_DEFAULTS.learningRate, weightDecay, seed },
      );
      trainMs.push(performance.now() - t0);
      for (const i of held) cm.add(photos[i].gt, (await labelPixels(model, photos[i].sources, photos[i].width, photos[i].height)).classes);
      model.head.dispose();
    }
    scores.push(cm.meanIoU());
  }
  rows.push(`| ${decoder} | ${pct(mean(scores))} | ${scores.map(pct).join(' · ')} | ${(median(trainMs) / 1000).toFixed(1)} |`);
  console.log(rows.at(-1));
}
const tensorsAfter = tf.memory().numTensors;
for (const p of photos) disposePixelSources(p.sources);
ae.dispose();
console.log(
  `\nHeld-out mIoU (%), pooled over the ${photos.length} photos, each labelled by a pixel head trained on the masks of the other folds\n` +
    `| decoder path (thesis Table 5.2) | mIoU | per seed | train s per fold (median) |\n|---|---|---|---|\n${rows.join('\n')}\n` +
    `tensors before the folds ${tensorsBefore}, after ${tensorsAfter}; load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`,
);
