// Issue 10's benchmark (thesis §3.5) on coco-mini with VOC classes, k-fold over photos: a head trained on the
// VOC masks of the photos outside each held-out fold labels that fold, scored at full resolution, side by side:
//   - superpixel mode: the studio's engine (segmentPhotos: SLIC, pooled zoom-out rows, graph smoothing);
//   - pixel mode: the same head kinds on the stride-4 grid's hypercolumns (ml/pixelHead.ts), scores upsampled.
// Both backbones are frozen. Each mode's weight decay is chosen per held-out fold by the mIoU of the other folds
// (as bench:set does), so no fold's photos choose their own setting. Fine-tuning the backbone is not built yet.
//   npm run bench:finetune -- [--quick] [--seeds 1] [--folds 5] [--cells 1000] [--hidden 0] [--backend wasm]
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { vocLabelSet } from '../src/core/labelSets.ts';
import { maskSource } from '../src/core/labelSources.ts';
import { gridLabels } from '../src/core/pixelGrid.ts';
import { paintSuperpixels } from '../src/core/scribbles.ts';
import { ConfusionMatrix } from '../src/core/segmentationScore.ts';
import { booleanFlag, numberFlag, parseArgs } from '../src/cli/command.ts';
import { selectBackend, type BackendName } from '../src/ml/backend.ts';
import { loadBackboneFromDisk } from '../src/ml/loadFromDisk.ts';
import { readImageRgba } from '../src/ml/nodeImage.ts';
import { disposePixelSources, photoPixelSources, type PixelSources } from '../src/ml/pixelFeatures.ts';
import { labelPixels, trainPixelHead } from '../src/ml/pixelHead.ts';
import { SEGMENT_DEFAULTS, segmentPhotos, superpixelFeatures, type SegmentSettings } from '../src/ml/segmentationEngine.ts';
import { TRAIN_DEFAULTS } from '../src/ml/trainHead.ts';
import { cocoMiniDir, type CocoMiniPhoto, cocoMiniPhotos, cocoMiniTruth, mean, median, pct, photoFolds } from './cocoMiniBench.ts';

const args = parseArgs(process.argv.slice(2), {
  quick: { type: 'boolean' },
  seeds: { type: 'string' },
  folds: { type: 'string' },
  cells: { type: 'string' },
  hidden: { type: 'string' },
  backend: { type: 'string' },
});
const quick = booleanFlag(args, 'quick');
const seeds = numberFlag(args, 'seeds', 1);
const FOLDS = numberFlag(args, 'folds', 5);
const CELLS = numberFlag(args, 'cells', 1000);
const HIDDEN = numberFlag(args, 'hidden', 0);
const K = vocLabelSet().classes.length;
const WEIGHT_DECAYS = [0.1, 0.01, 0.001];
const head = { hidden: HIDDEN > 0 ? [HIDDEN] : [], dropout: 0 };

const backend = await selectBackend((args.flags.get('backend') ?? 'wasm') as BackendName);
const backbone = await loadBackboneFromDisk();
let files = await cocoMiniPhotos();
if (quick) files = files.slice(0, 10);
const longSide = SEGMENT_DEFAULTS.features.longSide ?? 512;
console.log(
  `coco-mini: ${files.length} photos, VOC classes, backend ${backend.name}, ${FOLDS}-fold over photos, ${seeds} seed(s); ` +
    `input long side ${longSide}; head ${HIDDEN > 0 ? `1×1 conv MLP, ${HIDDEN} hidden` : 'linear'}; pixel mode ${CELLS} cells per photo`,
);

interface Photo extends CocoMiniPhoto {
  pixels: PixelSources;
  cellLabels: Int32Array;
}
const photos: Photo[] = [];
for (const file of files) {
  const image = await readImageRgba(join(cocoMiniDir, 'images', file));
  const stem = basename(file, '.jpg');
  const gt = await cocoMiniTruth(stem);
  const pixels = await photoPixelSources(backbone, image, { longSide, detections: SEGMENT_DEFAULTS.features.detections });
  photos.push({ ...(await superpixelFeatures(backbone, image)), stem, gt, pixels, cellLabels: gridLabels(gt, image.width, image.height, pixels.grid) });
}
backbone.dispose();
console.log(`features ready: ${photos.length} photos, pixel grid ${photos[0].pixels.grid.cols}×${photos[0].pixels.grid.rows} (first photo), ${photos[0].pixels.layout.width} pixel columns, ${photos[0].layout.width} superpixel columns`);

type Mode = 'superpixel' | 'pixel';
const trainMs: Record<Mode, number[]> = { superpixel: [], pixel: [] };
const predictMs: Record<Mode, number[]> = { superpixel: [], pixel: [] };

/** Held-out predictions (full-resolution class maps) for every photo, each from a head that never saw it. */
async function heldOutPredictions(mode: Mode, seed: number, weightDecay: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const train = { ...SEGMENT_DEFAULTS.train, head, solver: 'adam' as const, weightDecay, seed };
  for (const held of photoFolds(photos.length, FOLDS, seed)) {
    const t0 = performance.now();
    if (mode === 'superpixel') {
      const settings: SegmentSettings = { ...SEGMENT_DEFAULTS, train };
      const r = await segmentPhotos(
        photos.map((p, i) => ({ id: i, photo: p, sources: held.includes(i) ? [] : [maskSource(p.map, p.gt)] })),
        { classes: K, settings, targets: held },
      );
      r.trained?.head.dispose();
      trainMs.superpixel.push(r.timings.trainMs);
      predictMs.superpixel.push(r.timings.predictMs / held.length);
      for (const l of r.photos) out[l.id] = paintSuperpixels(photos[l.id].map, l.classes);
    } else {
      const model = await trainPixelHead(
        photos.filter((_, i) => !held.includes(i)).map((p) => ({ sources: p.pixels, labels: p.cellLabels })),
        K,
        { ...train, cellsPerPhoto: CELLS },
      );
      const t1 = performance.now();
      trainMs.pixel.push(t1 - t0);
      for (const i of held) out[i] = (await labelPixels(model, photos[i].pixels, photos[i].map.width, photos[i].map.height)).classes;
      predictMs.pixel.push((performance.now() - t1) / held.length);
      model.head.dispose();
    }
  }
  return out;
}

function scoreOn(subset: readonly number[], predicted: Uint8Array[]): ConfusionMatrix {
  const cm = new ConfusionMatrix(K);
  for (const i of subset) cm.add(photos[i].gt, predicted[i]);
  return cm;
}

const all = photos.map((_, i) => i);
const rows: string[] = [];
const tensorsBefore = tf.memory().numTensors;
for (const mode of ['superpixel', 'pixel'] as Mode[]) {
  const perSeed: { fixed: Map<number, number>; chosen: number; picks: number[] }[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const runs = new Map<number, Uint8Array[]>();
    for (const wd of WEIGHT_DECAYS) runs.set(wd, await heldOutPredictions(mode, seed, wd));
    const picks: number[] = [];
    const tuned: Uint8Array[] = [];
    for (const held of photoFolds(photos.length, FOLDS, seed)) {
      const others = all.filter((i) => !held.includes(i));
      const best = WEIGHT_DECAYS.reduce((a, b) => (scoreOn(others, runs.get(b)!).meanIoU() > scoreOn(others, runs.get(a)!).meanIoU() ? b : a));
      picks.push(best);
      for (const i of held) tuned[i] = runs.get(best)![i];
    }
    perSeed.push({ fixed: new Map(WEIGHT_DECAYS.map((wd) => [wd, scoreOn(all, runs.get(wd)!).meanIoU()])), chosen: scoreOn(all, tuned).meanIoU(), picks });
  }
  const fixed = WEIGHT_DECAYS.map((wd) => pct(mean(perSeed.map((s) => s.fixed.get(wd)!)))).join(' / ');
  rows.push(
    `| ${mode} | ${pct(mean(perSeed.map((s) => s.chosen)))} | ${perSeed.map((s) => pct(s.chosen)).join(' · ')} | ${fixed} | ` +
      `${[...new Set(perSeed.flatMap((s) => s.picks))].join(', ')} | ${median(trainMs[mode]).toFixed(0)} | ${median(predictMs[mode]).toFixed(0)} |`,
  );
}
const tensorsAfter = tf.memory().numTensors;
for (const p of photos) {
  disposePixelSources(p.pixels);
  p.features.dispose();
}
const steps = SEGMENT_DEFAULTS.train.epochs ?? TRAIN_DEFAULTS.epochs;
console.log(
  `\nHeld-out mIoU (%), pooled over the ${photos.length} photos, each labelled by a head trained on the masks of the other folds ` +
    `(Adam, ${steps} full-batch steps); frozen backbone\n` +
    `| mode | mIoU, weight decay chosen per fold | per seed | mIoU at weight decay ${WEIGHT_DECAYS.join(' / ')} | chosen | train ms (median per fold) | label ms per photo |\n` +
    `|---|---|---|---|---|---|---|\n${rows.join('\n')}\n` +
    `Fine-tuned backbone (top / top two blocks): not built yet (docs/finetune.md).\n` +
    `tensors before the folds ${tensorsBefore}, after ${tensorsAfter}; load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`,
);
