// Depth benchmark (thesis Table 5.5's measures; issue 9): nested leave-one-photo-out over the real NYUv2
// RGB-D pairs — each photo predicted by models fitted on the others only (λ of ours chosen inside them too),
// median-scaled — for ours (per-superpixel ridge on zoom-out features + position), one constant depth and
// depth by image row, side by side. Before it, depth from segmentation on held-out procedural rooms and outdoor
// scenes (the shipped net against the same baselines, fitted per kind) and the room generator's class statistics
// against the real NYUv2 label maps.
// See docs/depth.md.
// Last, fine-tuning on a user's own RGB-D pairs: a model fitted on some photos, fine-tuned on others, scored on
// a photo neither saw.
//   npm run bench:depth -- [--data ../shared/data/nyuv2] [--synthetic-only] [--finetune-only] [--scenes 300]
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdir, readFile } from 'node:fs/promises';
import { booleanFlag, numberFlag, parseArgs } from '../src/cli/command.ts';
import { seededRandom } from '../src/core/clickProtocol.ts';
import { dropLabels, indoorScene, labelMapStatistics } from '../src/core/indoorScene.ts';
import { outdoorScene } from '../src/core/outdoorScene.ts';
import type { SyntheticScene } from '../src/core/sceneRaycast.ts';
import { NYU13_CLASSES } from '../src/core/labelSets.ts';
import { decodeIndexPng } from '../src/core/pngCodec.ts';
import { constantDepth, fitConstantDepth, fitRowProfile, rowProfileDepth } from '../src/core/depthBaselines.ts';
import { nestedLeaveOnePhotoOut, photoStats, scoreLogDepth, type DepthPhoto } from '../src/core/depthCrossValidation.ts';
import { fineTuneDepth } from '../src/core/depthFineTune.ts';
import { fitRidge, predictRidge, sumStats, type RidgeModel } from '../src/core/ridgeRegression.ts';
import type { DepthMap } from '../src/core/depthMap.ts';
import { DEPTH_METRIC_NAMES, depthMetrics, meanDepthMetrics, medianScaled, type DepthMetrics } from '../src/core/depthMetrics.ts';
import { selectBackend } from '../src/ml/backend.ts';
import { DEPTH_POSITION_FEATURES } from '../src/core/superpixelPosition.ts';
import { DEPTH_RIDGE, depthPenalty } from '../src/ml/depthFeatures.ts';
import { depthPairIds, loadDepthPair } from '../src/ml/depthPairs.ts';
import { loadBackboneFromDisk, loadSegmentationDepthFromDisk } from '../src/ml/loadFromDisk.ts';
import { depthFromLabelMap, SEG_DEPTH_SIZE, type SegmentationDepthNet } from '../src/ml/segmentationDepthNet.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2), { data: { type: 'string' }, 'synthetic-only': { type: 'boolean' }, 'finetune-only': { type: 'boolean' }, scenes: { type: 'string' } });
const dataDir = resolve(repoRoot, args.flags.get('data') ?? '../shared/data/nyuv2');
const TARGETS = { delta1: 0.72, absRel: 0.2 };
// Neither the training stream (seed 1) nor the training script's own held-out seed.
const BENCH_SEED = 2_000_003;

const f = (v: number) => v.toFixed(3).padStart(9);
const header = `${'method'.padEnd(34)}${DEPTH_METRIC_NAMES.map((k) => k.padStart(9)).join('')}`;
const line = (name: string, m: DepthMetrics) => `${name.padEnd(34)}${DEPTH_METRIC_NAMES.map((k) => f(m[k])).join('')}`;
const score = (gt: DepthMap, pred: DepthMap) => depthMetrics(medianScaled(pred.metres, gt.metres), gt.metres);

const backend = await selectBackend('wasm');

if (!booleanFlag(args, 'finetune-only')) {
  const labelsDir = resolve(dataDir, 'labels13_test');
  const files = (await readdir(labelsDir)).filter((n) => n.endsWith('.png'));
  const real = labelMapStatistics(await Promise.all(files.map(async (n) => {
    const png = decodeIndexPng(await readFile(resolve(labelsDir, n)));
    return { width: png.width, height: png.height, classes: png.values };
  })));
  const count = numberFlag(args, 'scenes', 300);
  const { width, height } = SEG_DEPTH_SIZE;
  const training = seededRandom(1);
  const fitting = Array.from({ length: 500 }, () => indoorScene(training, width, height));
  const random = seededRandom(BENCH_SEED);
  const scenes = Array.from({ length: count }, () => indoorScene(random, width, height));
  const synthetic = labelMapStatistics(scenes);
  console.log(`procedural scenes against the ${files.length} real NYUv2 13-class label maps: share of labelled pixels (%) and mean row (0 top, 1 bottom)`);
  console.log(`${'class'.padEnd(11)}${'real %'.padStart(8)}${'ours %'.padStart(8)}${'real row'.padStart(10)}${'ours row'.padStart(10)}`);
  NYU13_CLASSES.forEach((name, c) => console.log(`${name.padEnd(11)}${(100 * real.share[c]).toFixed(1).padStart(8)}${(100 * synthetic.share[c]).toFixed(1).padStart(8)}${real.meanRow[c].toFixed(2).padStart(10)}${synthetic.meanRow[c].toFixed(2).padStart(10)}`));

  const net = await loadSegmentationDepthFromDisk();
  syntheticTable(net, 'procedural rooms', fitting, scenes, count);
  const outdoorTraining = seededRandom(2);
  const outdoorRandom = seededRandom(BENCH_SEED + 2);
  syntheticTable(
    net,
    'procedural outdoor scenes',
    Array.from({ length: 500 }, () => outdoorScene(outdoorTraining, width, height)),
    Array.from({ length: count }, () => outdoorScene(outdoorRandom, width, height)),
    count,
  );
  net.dispose();
  if (booleanFlag(args, 'synthetic-only')) process.exit(0);
  console.log('');
}

const backbone = await loadBackboneFromDisk();
const ids = await depthPairIds(dataDir);
const t0 = performance.now();
const photos: DepthPhoto[] = [];
for (const id of ids) photos.push(await loadDepthPair(dataDir, id, backbone));
const featureSeconds = (performance.now() - t0) / 1000;
if (!booleanFlag(args, 'finetune-only')) crossValidate();
fineTuning();

function crossValidate(): void {
  const t1 = performance.now();
  const cv = nestedLeaveOnePhotoOut(photos, { lambdas: DEPTH_RIDGE.lambdas, smoothings: DEPTH_RIDGE.smoothings, penalty: depthPenalty(photos[0].dims - DEPTH_POSITION_FEATURES.length) });
  const cvSeconds = (performance.now() - t1) / 1000;

  const constant: DepthMetrics[] = [];
  const byRow: DepthMetrics[] = [];
  photos.forEach((p, o) => {
    const others = photos.filter((_, k) => k !== o).map((q) => q.depth);
    const { width, height } = p.depth;
    constant.push(score(p.depth, constantDepth(width, height, fitConstantDepth(others))));
    byRow.push(score(p.depth, rowProfileDepth(fitRowProfile(others), width, height)));
  });

  const ours = meanDepthMetrics(cv.nested.map((p) => p.metrics));
  console.log(`NYUv2 RGB-D pairs: ${ids.join(' ')} (${backend.name}); nested leave-one-photo-out, median-scaled, mean over ${ids.length} photos`);
  console.log(`features ${featureSeconds.toFixed(1)} s, cross-validation ${cvSeconds.toFixed(1)} s\n`);
  console.log(header);
  console.log(line('constant depth', meanDepthMetrics(constant)));
  console.log(line('depth by image row (48 bands)', meanDepthMetrics(byRow)));
  console.log(line('ours: ridge, zoom-out + position', ours));
  console.log(`\nλ, smoothing chosen per photo (inner leave-one-photo-out): ${cv.nested.map((p) => `${p.id} ${p.lambda}/${p.smoothing}`).join(', ')}`);
  console.log('plain leave-one-photo-out per setting (every fold saw it: not a held-out figure):');
  for (const e of cv.perSetting) console.log(line(`  λ = ${e.lambda}, smoothing ${e.smoothing}`, meanDepthMetrics(e.metrics)));
  console.log('\nper photo, ours (nested) vs by row: δ<1.25 and abs rel');
  cv.nested.forEach((p, o) => console.log(`  ${p.id}  ${f(p.metrics.delta1)} ${f(byRow[o].delta1)}   ${f(p.metrics.absRel)} ${f(byRow[o].absRel)}`));
  const meets = ours.delta1 >= TARGETS.delta1 && ours.absRel <= TARGETS.absRel;
  console.log(`\nissue 9 targets (held-out NYUv2 test photos): δ<1.25 ≥ ${TARGETS.delta1}, abs rel ≤ ${TARGETS.absRel} — here ${f(ours.delta1).trim()} and ${f(ours.absRel).trim()}: ${meets ? 'met' : 'not met'} on these ${ids.length} training-split photos`);
}

/**
 * Each photo in turn is the test photo; the other nine are split at random (3 seeds) into 5 the model is
 * trained on (the shipped λ and smoothing) and 4 the user fine-tunes on. Side by side on the test photo: the
 * trained model alone, fine-tuned at several λ, a ridge on the 4 alone, and one on all 9 (what having every
 * photo at training time would give).
 */
function fineTuning(): void {
  const penalty = depthPenalty(photos[0].dims - DEPTH_POSITION_FEATURES.length);
  const { lambda, smoothing } = { lambda: 1e4, smoothing: 0.025 };
  const stats = photos.map(photoStats);
  const tuneLambdas = [1e3, 3e3, 1e4, 3e4, 1e5];
  const results = new Map<string, DepthMetrics[]>();
  const add = (name: string, m: DepthMetrics) => results.set(name, [...(results.get(name) ?? []), m]);
  const t = performance.now();
  let tuneMs = 0;
  let tunes = 0;
  photos.forEach((test, o) => {
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(BENCH_SEED + 100 * o + seed);
      const others = photos.map((_, k) => k).filter((k) => k !== o);
      for (let i = others.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [others[i], others[j]] = [others[j], others[i]];
      }
      const trained = others.slice(0, 5);
      const own = others.slice(5);
      const score = (m: RidgeModel) => scoreLogDepth(test, predictRidge(m, test.rows, test.map.count), smoothing);
      const base = fitRidge(sumStats(trained.map((k) => stats[k])), { lambda, penalty });
      add('trained on 5', score(base));
      for (const l of tuneLambdas) {
        const t0 = performance.now();
        const tuned = fineTuneDepth(base, own.map((k) => photos[k]), { lambda: l, penalty });
        tuneMs += performance.now() - t0;
        tunes++;
        add(`  fine-tuned on 4, λ = ${l}`, score(tuned));
      }
      add('ridge on the 4 alone', score(fitRidge(sumStats(own.map((k) => stats[k])), { lambda, penalty })));
      add('ridge on all 9', score(fitRidge(sumStats(others.map((k) => stats[k])), { lambda, penalty })));
    }
  });
  console.log(`\nfine-tuning on your own RGB-D pairs: each photo held out in turn, the other 9 split 5 (trained, λ = ${lambda}) / 4 (fine-tuned on), 3 seeds; median-scaled, mean over ${photos.length * 3} runs; ${(tuneMs / tunes).toFixed(0)} ms a fine-tuning (${((performance.now() - t) / 1000).toFixed(0)} s in all)`);
  console.log(header);
  for (const [name, ms] of results) console.log(line(name, meanDepthMetrics(ms)));
}

/** The net against the baselines on held-out synthetic scenes of one kind (baselines fitted on `fitting`). */
function syntheticTable(net: SegmentationDepthNet, kind: string, fitting: SyntheticScene[], scenes: SyntheticScene[], count: number): void {
  const { width, height } = SEG_DEPTH_SIZE;
  const constant = fitConstantDepth(fitting);
  const profile = fitRowProfile(fitting);
  const rows: Record<'seg' | 'segUnlabelled' | 'constant' | 'byRow', DepthMetrics[]> = { seg: [], segUnlabelled: [], constant: [], byRow: [] };
  const dropping = seededRandom(BENCH_SEED + 1);
  const t = performance.now();
  for (const scene of scenes) {
    rows.seg.push(score(scene, { width, height, metres: depthFromLabelMap(net, scene) }));
    rows.segUnlabelled.push(score(scene, { width, height, metres: depthFromLabelMap(net, { width, height, classes: dropLabels(scene, dropping) }) }));
    rows.constant.push(score(scene, constantDepth(width, height, constant)));
    rows.byRow.push(score(scene, rowProfileDepth(profile, width, height)));
  }
  console.log(`
held-out ${kind} (${count} at ${width}×${height}), exact class maps as input, median-scaled, mean over scenes; ${((performance.now() - t) / count).toFixed(1)} ms a scene`);
  console.log(header);
  console.log(line('constant depth', meanDepthMetrics(rows.constant)));
  console.log(line('depth by image row (48 bands)', meanDepthMetrics(rows.byRow)));
  console.log(line('segmentation → depth net', meanDepthMetrics(rows.seg)));
  console.log(line('  the same, ~10 % unlabelled', meanDepthMetrics(rows.segUnlabelled)));
}
