// Photo sets (issue 11; thesis ch. 3: one head for a whole set, applied to photos it has not seen) on coco-mini
// with VOC classes. See docs/studio.md, "Photo sets, ground truth and metrics".
//   1. Clicks: P seeded clicks per class present on every photo of k−1 folds, one head for those photos together
//      (ml/segmentationEngine.ts: segmentPhotos); mIoU on the clicked photos and on the held-out fold, which
//      nobody clicked. Each seed reshuffles the folds and redraws the clicks.
//   2. Fully supervised: one head on the VOC masks of k−1 folds (maskSource), mIoU on the held-out fold.
//   3. Times for a set of 200 photos (the dev photos cycled): add (read, decode, SHA-256), features (SLIC +
//      backbone + pooling), export (VOC class-index PNG at the photo's size).
//   npm run bench:set -- [--quick] [--seeds 3] [--folds 5] [--clicks 1,3,5,10] [--set-size 200] [--backend wasm]
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { basename, join } from 'node:path';
import { exportPalette, vocLabelSet } from '../src/core/labelSets.ts';
import { maskSource, type LabelSource } from '../src/core/labelSources.ts';
import { encodeClassIndexPng } from '../src/core/pngCodec.ts';
import { paintSuperpixels } from '../src/core/scribbles.ts';
import { ConfusionMatrix } from '../src/core/segmentationScore.ts';
import { superpixelOracle } from '../src/core/superpixelOracle.ts';
import { booleanFlag, numberFlag, parseArgs } from '../src/cli/command.ts';
import { selectBackend, type BackendName } from '../src/ml/backend.ts';
import { loadBackboneFromDisk } from '../src/ml/loadFromDisk.ts';
import { readImageRgba } from '../src/ml/nodeImage.ts';
import { TRAIN_DEFAULTS } from '../src/ml/trainHead.ts';
import { SEGMENT_DEFAULTS, segmentPhotos, superpixelFeatures } from '../src/ml/segmentationEngine.ts';
import { clickSource, cocoMiniDir, type CocoMiniPhoto, cocoMiniPhotos, cocoMiniTruth, mean, median, pct, photoFolds } from './cocoMiniBench.ts';

const args = parseArgs(process.argv.slice(2), {
  quick: { type: 'boolean' },
  seeds: { type: 'string' },
  folds: { type: 'string' },
  clicks: { type: 'string' },
  'set-size': { type: 'string' },
  backend: { type: 'string' },
});
const quick = booleanFlag(args, 'quick');
const seeds = numberFlag(args, 'seeds', quick ? 1 : 3);
const FOLDS = numberFlag(args, 'folds', 5);
const CLICKS = (args.flags.get('clicks') ?? (quick ? '1,5' : '1,3,5,10')).split(',').map(Number);
const SET_SIZE = numberFlag(args, 'set-size', quick ? 30 : 200);
const labelSet = vocLabelSet();
const K = labelSet.classes.length;
const palette = exportPalette(labelSet);

const backend = await selectBackend((args.flags.get('backend') ?? 'wasm') as BackendName);
const backbone = await loadBackboneFromDisk();
let files = await cocoMiniPhotos();
if (quick) files = files.slice(0, 10);
console.log(
  `coco-mini: ${files.length} photos, VOC classes, backend ${backend.name}, ${FOLDS}-fold over photos, ${seeds} seed(s); ` +
    `timing a set of ${SET_SIZE} (the photos cycled)`,
);

// The set of SET_SIZE photos is added and analysed once, timed per photo; the first pass over the dev photos keeps
// their features for the accuracy runs, later passes dispose them at once.
const addMs: number[] = [];
const featureMs: number[] = [];
const photos: CocoMiniPhoto[] = [];
for (let i = 0; i < SET_SIZE; i++) {
  const file = files[i % files.length];
  const t0 = performance.now();
  const path = join(cocoMiniDir, 'images', file);
  const [image] = await Promise.all([readImageRgba(path), readFile(path).then((bytes) => createHash('sha256').update(bytes).digest('hex'))]);
  const t1 = performance.now();
  const f = await superpixelFeatures(backbone, image);
  await f.features.data();
  featureMs.push(performance.now() - t1);
  addMs.push(t1 - t0);
  if (i < files.length) {
    const stem = basename(file, '.jpg');
    photos.push({ ...f, stem, gt: await cocoMiniTruth(stem) });
  } else f.features.dispose();
}
backbone.dispose();

const ceiling = new ConfusionMatrix(K);
for (const p of photos) ceiling.add(p.gt, paintSuperpixels(p.map, superpixelOracle(p.map.labels, p.map.count, p.gt).majority));

/**
 * One head trained on the sources of the photos outside each held-out fold, labelling every photo: pooled
 * confusion on the photos it learned from and on the held-out ones, and each held-out photo's predicted pixels.
 */
async function crossValidate(seed: number, sourcesOf: (p: CocoMiniPhoto) => LabelSource[], settings = SEGMENT_DEFAULTS) {
  const seen = new ConfusionMatrix(K);
  const unseen = new ConfusionMatrix(K);
  const predicted: Uint8Array[] = [];
  for (const held of photoFolds(photos.length, FOLDS, seed)) {
    const r = await segmentPhotos(
      photos.map((p, i) => ({ id: i, photo: p, sources: held.includes(i) ? [] : sourcesOf(p) })),
      { classes: K, settings },
    );
    r.trained?.head.dispose();
    trainMs.push(r.timings.trainMs);
    for (const out of r.photos) {
      const pixels = paintSuperpixels(photos[out.id].map, out.classes);
      (held.includes(out.id) ? unseen : seen).add(photos[out.id].gt, pixels);
      if (held.includes(out.id)) predicted[out.id] = pixels;
    }
  }
  return { seen, unseen, predicted };
}

/** Pooled confusion of the held-out predictions over a subset of photos. */
function scoreOn(subset: number[], predicted: Uint8Array[]): ConfusionMatrix {
  const cm = new ConfusionMatrix(K);
  for (const i of subset) cm.add(photos[i].gt, predicted[i]);
  return cm;
}

const trainMs: number[] = [];
const heldOut = Math.round(photos.length / FOLDS);
const trained = photos.length - heldOut;
const PERSON = labelSet.classes.findIndex((c) => c.name === 'person');
const rows: string[] = [];
/** A table row from per-seed results: mIoU where learned and held out, and the held-out fold's detail. */
function row(name: string, results: { seen?: ConfusionMatrix; unseen: ConfusionMatrix }[]) {
  const avg = (f: (cm: ConfusionMatrix) => number, of: 'seen' | 'unseen' = 'unseen') => pct(mean(results.map((r) => f(r[of]!))));
  const seenCell = results[0].seen ? avg((cm) => cm.meanIoU(), 'seen') : '–';
  rows.push(
    `| ${name} | ${seenCell} | ${avg((cm) => cm.meanIoU())} | ${avg((cm) => cm.pixelAccuracy())} | ` +
      `${avg((cm) => cm.perClassIoU()[0])} / ${avg((cm) => cm.perClassIoU()[PERSON])} | ${results.map((r) => pct(r.unseen.meanIoU())).join(' · ')} |`,
  );
}

for (const P of CLICKS) {
  const results = [];
  for (let seed = 1; seed <= seeds; seed++) results.push(await crossValidate(seed, (p) => [clickSource(p.map, p.gt, P, seed)]));
  row(`${P} click(s) per class on each of ~${trained} photos`, results);
}

// Whole masks label thousands of superpixels: the exact linear solve (trainHead's default, an N×N dual meant for a
// few clicks) takes minutes there, so the set is trained with Adam; its weight decay (the default is tuned for a
// few clicks on one photo) is chosen per held-out fold by the held-out mIoU of the other folds.
const WEIGHT_DECAYS = [0.1, 0.01, 0.001];
const masks = (p: CocoMiniPhoto) => [maskSource(p.map, p.gt)];
const bySeed: Map<number, Awaited<ReturnType<typeof crossValidate>>>[] = [];
for (let seed = 1; seed <= seeds; seed++) {
  const runs = new Map<number, Awaited<ReturnType<typeof crossValidate>>>();
  for (const weightDecay of WEIGHT_DECAYS) {
    runs.set(weightDecay, await crossValidate(seed, masks, { ...SEGMENT_DEFAULTS, train: { ...SEGMENT_DEFAULTS.train, solver: 'adam', weightDecay } }));
  }
  bySeed.push(runs);
}
const steps = SEGMENT_DEFAULTS.train.epochs ?? TRAIN_DEFAULTS.epochs;
for (const wd of WEIGHT_DECAYS) row(`VOC masks of ~${trained} photos (Adam ${steps} steps, weight decay ${wd}; not tuned)`, bySeed.map((runs) => runs.get(wd)!));
const chosen: number[] = [];
const tuned = bySeed.map((runs, s) => {
  const all = photos.map((_, i) => i);
  const out: Uint8Array[] = [];
  for (const held of photoFolds(photos.length, FOLDS, s + 1)) {
    const others = all.filter((i) => !held.includes(i));
    const best = WEIGHT_DECAYS.reduce((a, b) => (scoreOn(others, runs.get(b)!.predicted).meanIoU() > scoreOn(others, runs.get(a)!.predicted).meanIoU() ? b : a));
    chosen.push(best);
    for (const i of held) out[i] = runs.get(best)!.predicted[i];
  }
  return { unseen: scoreOn(all, out), predicted: out };
});
row(`VOC masks of ~${trained} photos, weight decay chosen per fold (${[...new Set(chosen)].join(', ')})`, tuned);
const predictions = tuned.at(-1)!.predicted;
console.log(
  `\nOne head for the set; % pooled over photos, mean of ${seeds} seed(s) (folds reshuffled, clicks redrawn); held-out fold ~${heldOut} photos\n` +
    `| labels | mIoU, photos it learned from | mIoU, photos not labelled | pixel accuracy, not labelled | IoU background / person, not labelled | mIoU not labelled, per seed |\n` +
    `|---|---|---|---|---|---|\n${rows.join('\n')}\n` +
    `| superpixel-majority ceiling | ${pct(ceiling.meanIoU())} | ${pct(ceiling.meanIoU())} | ${pct(ceiling.pixelAccuracy())} | ${pct(ceiling.perClassIoU()[0])} / ${pct(ceiling.perClassIoU()[PERSON])} | |`,
);

// Export: the held-out predictions of the last supervised seed, at the photos' size, cycled to the set size.
const exportMs: number[] = [];
for (let i = 0; i < SET_SIZE; i++) {
  const p = photos[i % photos.length];
  const t0 = performance.now();
  encodeClassIndexPng(predictions[i % photos.length], p.map.width, p.map.height, palette);
  exportMs.push(performance.now() - t0);
}
for (const p of photos) p.features.dispose();
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const timing = (name: string, v: number[]) => `| ${name} | ${(sum(v) / 1000).toFixed(1)} | ${median(v).toFixed(0)} |`;
console.log(
  `\nA set of ${SET_SIZE} photos (${files.length} dev photos cycled), wall time on ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}\n` +
    `| step | total s | median ms per photo |\n|---|---|---|\n` +
    [timing('add (read, decode, SHA-256)', addMs), timing('features (SLIC + backbone + pooling)', featureMs), timing('export (VOC class-index PNG)', exportMs)].join('\n') +
    `\nmedian training ms per head (one head for ~${photos.length - heldOut} photos): ${median(trainMs).toFixed(0)}; tensors alive ${tf.memory().numTensors}`,
);
