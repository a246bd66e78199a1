// Issue 10's benchmark (thesis §3.5) on coco-mini with VOC classes, k-fold over photos: a head trained on the
// VOC masks of the photos outside each held-out fold labels that fold, scored at full resolution, side by side:
//   - superpixel mode: the studio's engine (segmentPhotos: SLIC, pooled zoom-out rows, graph smoothing);
//   - pixel mode: the same head kinds on the stride-4 grid's hypercolumns (ml/pixelHead.ts), scores upsampled;
//     then the same heads labelling with flip, and with three scales and flip (§3.5.1, ml/pixelViews.ts), the
//     views computed as each photo is labelled (--no-views skips them).
// Both backbones are frozen. Each mode's weight decay is chosen per held-out fold by the mIoU of the other folds
// (as bench:set does), so no fold's photos choose their own setting.
//   - fine-tuned (`--finetune top,top2`): per fold, the pixel head at weight decay FINETUNE_DECAY, then that head
//     and the chosen blocks trained end to end (ml/finetune.ts) on the same photos' masks; the frozen head's
//     held-out mIoU beside it, so the gain is measured fold by fold.
//   npm run bench:finetune -- [--quick] [--seeds 1] [--folds 5] [--cells 1000] [--hidden 0] [--backend wasm]
//                             [--finetune top,top2] [--steps 40] [--batch 4] [--side 256] [--head-lr 1e-4]
//                             [--backbone-lr 1e-5] [--rate-drop-at 0.75] [--only-finetune] [--no-views]
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { vocLabelSet } from '../src/core/labelSets.ts';
import { maskSource } from '../src/core/labelSources.ts';
import { gridLabels } from '../src/core/pixelGrid.ts';
import { paintSuperpixels } from '../src/core/scribbles.ts';
import type { RgbaImage } from '../src/core/types.ts';
import { ConfusionMatrix } from '../src/core/segmentationScore.ts';
import { booleanFlag, numberFlag, parseArgs } from '../src/cli/command.ts';
import { selectBackend, type BackendName } from '../src/ml/backend.ts';
import type { TrainedHead } from '../src/ml/classifierHead.ts';
import { loadBackboneFromDisk, loadTrainableBackboneFromDisk } from '../src/ml/loadFromDisk.ts';
import { readImageRgba } from '../src/ml/nodeImage.ts';
import { disposePixelSources, photoPixelSources, type PixelSources } from '../src/ml/pixelFeatures.ts';
import { labelPixels, trainPixelHead } from '../src/ml/pixelHead.ts';
import { disposePixelViews, photoPixelViews, type PixelViewOptions } from '../src/ml/pixelViews.ts';
import { SEGMENT_DEFAULTS, segmentPhotos, superpixelFeatures, type SegmentSettings } from '../src/ml/segmentationEngine.ts';
import { TRAIN_DEFAULTS } from '../src/ml/trainHead.ts';
import { FINETUNE_DEFAULTS, finetunePixelModel, photoDetections, trainablePixelSources, type FinetunePhoto } from '../src/ml/finetune.ts';
import { FINETUNE, type Finetune } from '../src/ml/trainableBackbone.ts';
import { cocoMiniDir, type CocoMiniPhoto, cocoMiniPhotos, cocoMiniTruth, mean, median, pct, photoFolds } from './cocoMiniBench.ts';

const args = parseArgs(process.argv.slice(2), {
  quick: { type: 'boolean' },
  seeds: { type: 'string' },
  folds: { type: 'string' },
  cells: { type: 'string' },
  hidden: { type: 'string' },
  backend: { type: 'string' },
  finetune: { type: 'string' },
  steps: { type: 'string' },
  batch: { type: 'string' },
  side: { type: 'string' },
  'head-lr': { type: 'string' },
  'backbone-lr': { type: 'string' },
  'rate-drop-at': { type: 'string' },
  'only-finetune': { type: 'boolean' },
  'no-views': { type: 'boolean' },
});
const quick = booleanFlag(args, 'quick');
const seeds = numberFlag(args, 'seeds', 1);
const FOLDS = numberFlag(args, 'folds', 5);
const CELLS = numberFlag(args, 'cells', 1000);
const HIDDEN = numberFlag(args, 'hidden', 0);
const K = vocLabelSet().classes.length;
const WEIGHT_DECAYS = [0.1, 0.01, 0.001];
const head = { hidden: HIDDEN > 0 ? [HIDDEN] : [], dropout: 0 };
const FINETUNES = (args.flags.get('finetune') ?? '').split(',').filter(Boolean) as Finetune[];
for (const f of FINETUNES) if (!FINETUNE.includes(f) || f === 'none') throw new Error(`--finetune takes top, top2 or all, not ${f}`);
const finetuneOptions = { ...FINETUNE_DEFAULTS, steps: numberFlag(args, 'steps', FINETUNE_DEFAULTS.steps), batch: numberFlag(args, 'batch', FINETUNE_DEFAULTS.batch), side: numberFlag(args, 'side', FINETUNE_DEFAULTS.side),
  headLearningRate: numberFlag(args, 'head-lr', FINETUNE_DEFAULTS.headLearningRate),
  backboneLearningRate: numberFlag(args, 'backbone-lr', FINETUNE_DEFAULTS.backboneLearningRate),
  rateDropAt: numberFlag(args, 'rate-drop-at', FINETUNE_DEFAULTS.rateDropAt),
};
/** The weight decay pixel mode chose in most folds of the frozen runs (docs/finetune.md); fixed, not tuned on the folds. */
const FINETUNE_DECAY = 0.01;

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
  image: RgbaImage;
  pixels: PixelSources;
  cellLabels: Int32Array;
  finetune: FinetunePhoto;
}
const photos: Photo[] = [];
for (const file of files) {
  const image = await readImageRgba(join(cocoMiniDir, 'images', file));
  const stem = basename(file, '.jpg');
  const gt = await cocoMiniTruth(stem);
  const pixels = await photoPixelSources(backbone, image, { longSide, detections: SEGMENT_DEFAULTS.features.detections });
  const finetune = { image, labels: Int32Array.from(gt, (v) => (v < K ? v : -1)), detections: await photoDetections(backbone, image, longSide) };
  photos.push({ ...(await superpixelFeatures(backbone, image)), stem, gt, image, pixels, cellLabels: gridLabels(gt, image.width, image.height, pixels.grid), finetune });
}
console.log(`features ready: ${photos.length} photos, pixel grid ${photos[0].pixels.grid.cols}×${photos[0].pixels.grid.rows} (first photo), ${photos[0].pixels.layout.width} pixel columns, ${photos[0].layout.width} superpixel columns`);

/** Pixel mode's inference views (§3.5.1) beyond the single upright pass, by mode name. */
const VIEWS = {
  'pixel, flip': { flip: true },
  'pixel, scales 0.75 / 1 / 1.25 + flip': { flip: true, scales: [0.75, 1, 1.25] },
} satisfies Record<string, PixelViewOptions>;
type Mode = 'superpixel' | 'pixel' | keyof typeof VIEWS;
const MODES: Mode[] = ['superpixel', 'pixel', ...(booleanFlag(args, 'no-views') ? [] : (Object.keys(VIEWS) as Mode[]))];
const trainMs = Object.fromEntries(MODES.map((m) => [m, []])) as unknown as Record<Mode, number[]>;
const predictMs = Object.fromEntries(MODES.map((m) => [m, []])) as unknown as Record<Mode, number[]>;

/** A held-out photo labelled by a pixel head: the cached upright pass, or the mode's views computed now. */
async function pixelLabels(mode: Mode, model: TrainedHead, p: Photo): Promise<Uint8Array> {
  if (mode === 'pixel' || mode === 'superpixel') return (await labelPixels(model, p.pixels, p.map.width, p.map.height)).classes;
  const views = await photoPixelViews(backbone, p.image, { ...VIEWS[mode], longSide, detections: SEGMENT_DEFAULTS.features.detections });
  try {
    return (await labelPixels(model, views, p.map.width, p.map.height)).classes;
  } finally {
    disposePixelViews(views);
  }
}

/**
 * Held-out predictions (full-resolution class maps) for every photo, each from a head that never saw it: of
 * superpixel mode, or of every pixel mode (one pixel head per fold labels with each mode's views).
 */
async function heldOutPredictions(family: 'superpixel' | 'pixel', seed: number, weightDecay: number): Promise<Map<Mode, Uint8Array[]>> {
  const modes = MODES.filter((m) => (family === 'superpixel') === (m === 'superpixel'));
  const outs = new Map(modes.map((m) => [m, [] as Uint8Array[]]));
  const train = { ...SEGMENT_DEFAULTS.train, head, solver: 'adam' as const, weightDecay, seed };
  for (const held of photoFolds(photos.length, FOLDS, seed)) {
    const t0 = performance.now();
    if (family === 'superpixel') {
      const settings: SegmentSettings = { ...SEGMENT_DEFAULTS, train };
      const r = await segmentPhotos(
        photos.map((p, i) => ({ id: i, photo: p, sources: held.includes(i) ? [] : [maskSource(p.map, p.gt)] })),
        { classes: K, settings, targets: held },
      );
      r.trained?.head.dispose();
      trainMs.superpixel.push(r.timings.trainMs);
      predictMs.superpixel.push(r.timings.predictMs / held.length);
      for (const l of r.photos) outs.get('superpixel')![l.id] = paintSuperpixels(photos[l.id].map, l.classes);
    } else {
      const model = await trainPixelHead(
        photos.filter((_, i) => !held.includes(i)).map((p) => ({ sources: p.pixels, labels: p.cellLabels })),
        K,
        { ...train, cellsPerPhoto: CELLS },
      );
      const t1 = performance.now();
      for (const mode of modes) {
        const t2 = performance.now();
        for (const i of held) outs.get(mode)![i] = await pixelLabels(mode, model, photos[i]);
        trainMs[mode].push(t1 - t0);
        predictMs[mode].push((performance.now() - t2) / held.length);
      }
      model.head.dispose();
    }
  }
  return outs;
}

function scoreOn(subset: readonly number[], predicted: Uint8Array[]): ConfusionMatrix {
  const cm = new ConfusionMatrix(K);
  for (const i of subset) cm.add(photos[i].gt, predicted[i]);
  return cm;
}

/**
 * Per fold: the frozen pixel head's and the fine-tuned model's held-out labels; the step times; the losses of
 * the first and last steps.
 */
async function finetunedPredictions(setting: Finetune, seed: number): Promise<{ frozen: Uint8Array[]; tuned: Uint8Array[]; stepMs: number[]; losses: [number, number][] }> {
  const frozen: Uint8Array[] = [];
  const tuned: Uint8Array[] = [];
  const stepMs: number[] = [];
  const losses: [number, number][] = [];
  const train = { ...SEGMENT_DEFAULTS.train, head, solver: 'adam' as const, weightDecay: FINETUNE_DECAY, seed };
  for (const held of photoFolds(photos.length, FOLDS, seed)) {
    const training = photos.filter((_, i) => !held.includes(i));
    const model = await trainPixelHead(training.map((p) => ({ sources: p.pixels, labels: p.cellLabels })), K, { ...train, cellsPerPhoto: CELLS });
    for (const i of held) frozen[i] = (await labelPixels(model, photos[i].pixels, photos[i].map.width, photos[i].map.height)).classes;
    const trainable = await loadTrainableBackboneFromDisk(setting);
    const fold = await finetunePixelModel(trainable, model, training.map((p) => p.finetune), {
      ...finetuneOptions,
      weightDecay: FINETUNE_DECAY,
      seed,
      onStep: ({ ms }) => stepMs.push(ms),
    });
    // Each step's loss is one batch of random crops: the means of the first and last five steps say more.
    const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    losses.push([meanOf(fold.slice(0, 5)), meanOf(fold.slice(-5))]);
    for (const i of held) {
      const sources = trainablePixelSources(trainable, photos[i].finetune.image, photos[i].finetune.detections, longSide);
      tuned[i] = (await labelPixels(model, sources, photos[i].map.width, photos[i].map.height)).classes;
      disposePixelSources(sources);
    }
    trainable.dispose();
    model.head.dispose();
    console.log(`  ${setting}, fold of ${held.length}: loss (mean of 5 steps) ${losses.at(-1)![0].toFixed(3)} → ${losses.at(-1)![1].toFixed(3)}, frozen ${pct(scoreOn(held, frozen).meanIoU())}, fine-tuned ${pct(scoreOn(held, tuned).meanIoU())}`);
  }
  return { frozen, tuned, stepMs, losses };
}

const all = photos.map((_, i) => i);
const rows: string[] = [];
const tensorsBefore = tf.memory().numTensors;
// Per seed, per weight decay, every mode's held-out labels (the pixel modes share their heads).
const bySeed: Map<Mode, Map<number, Uint8Array[]>>[] = [];
for (let seed = 1; seed <= (booleanFlag(args, 'only-finetune') ? 0 : seeds); seed++) {
  const runs = new Map(MODES.map((m) => [m, new Map<number, Uint8Array[]>()]));
  for (const wd of WEIGHT_DECAYS) {
    for (const family of ['superpixel', 'pixel'] as const) for (const [mode, labels] of await heldOutPredictions(family, seed, wd)) runs.get(mode)!.set(wd, labels);
  }
  bySeed.push(runs);
}
for (const mode of booleanFlag(args, 'only-finetune') ? [] : MODES) {
  const perSeed: { fixed: Map<number, number>; chosen: number; picks: number[] }[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const runs = bySeed[seed - 1].get(mode)!;
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
const finetuneRows: string[] = [];
for (const setting of FINETUNES) {
  const runs = [];
  for (let seed = 1; seed <= seeds; seed++) runs.push(await finetunedPredictions(setting, seed));
  const frozen = mean(runs.map((r) => scoreOn(all, r.frozen).meanIoU()));
  const tuned = mean(runs.map((r) => scoreOn(all, r.tuned).meanIoU()));
  const stepMs = runs.flatMap((r) => r.stepMs);
  const firstLoss = mean(runs.flatMap((r) => r.losses.map((l) => l[0])));
  const lastLoss = mean(runs.flatMap((r) => r.losses.map((l) => l[1])));
  finetuneRows.push(`| ${setting} | ${pct(frozen)} | **${pct(tuned)}** | ${((tuned - frozen) * 100).toFixed(1)} | ${firstLoss.toFixed(3)} → ${lastLoss.toFixed(3)} | ${median(stepMs).toFixed(0)} |`);
}
const tensorsAfter = tf.memory().numTensors;
for (const p of photos) {
  disposePixelSources(p.pixels);
  p.features.dispose();
}
backbone.dispose();
const steps = SEGMENT_DEFAULTS.train.epochs ?? TRAIN_DEFAULTS.epochs;
console.log(
  `\nHeld-out mIoU (%), pooled over the ${photos.length} photos, each labelled by a head trained on the masks of the other folds ` +
    `(Adam, ${steps} full-batch steps); frozen backbone\n` +
    `| mode | mIoU, weight decay chosen per fold | per seed | mIoU at weight decay ${WEIGHT_DECAYS.join(' / ')} | chosen | train ms (median per fold) | label ms per photo |\n` +
    `|---|---|---|---|---|---|---|\n${rows.join('\n')}\n` +
    (FINETUNES.length
      ? `\nFine-tuned end to end (pixel head at weight decay ${FINETUNE_DECAY}, then ${finetuneOptions.steps} steps of ${finetuneOptions.batch} ` +
        `${finetuneOptions.side}² scale-crops, Adam: head ${finetuneOptions.headLearningRate}, backbone ${finetuneOptions.backboneLearningRate}, both ×0.1 after ${finetuneOptions.rateDropAt} of the steps); held-out mIoU (%)\n` +
        `| blocks trained | frozen backbone (same head, same folds) | fine-tuned | gain | loss, first → last 5 steps (mean over folds) | ms per step (median) |\n` +
        `|---|---|---|---|---|---|\n${finetuneRows.join('\n')}\n`
      : `Fine-tuned backbone: pass --finetune top,top2 (docs/finetune.md).\n`) +
    `tensors before the folds ${tensorsBefore}, after ${tensorsAfter}; load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`,
);
