// Trains the depth-from-segmentation net (src/ml/segmentationDepthNet.ts, thesis §5.5) on procedural indoor
// rooms (src/core/indoorScene.ts) and, a share --outdoor of them, outdoor streets and open spaces
// (src/core/outdoorScene.ts), fresh scenes every step, and writes models/seg-depth/ with
// models/seg-depth.manifest.json. Scored once at the end on held-out scenes of each kind drawn from another seed,
// next to the constant-depth and depth-by-row baselines fitted on training scenes of the same kind.
// Half the training scenes (--unlabelled) lose labels as real maps do (dropLabels: borders and patches read as
// unlabelled), so the net also reads maps that are not fully labelled.
//   npm run train:seg-depth -- [--steps 3000] [--batch 16] [--lr 0.001] [--unlabelled 0.5] [--outdoor 0.35] [--seed 1] [--held-out 300] [--max-minutes 30] [--from DIR] [--out models]
// --from DIR continues from the net in DIR (a models folder with seg-depth.manifest.json) instead of a fresh one.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberFlag, parseArgs } from '../src/cli/command.ts';
import { seededRandom } from '../src/core/clickProtocol.ts';
import { constantDepth, fitConstantDepth, fitRowProfile, rowProfileDepth } from '../src/core/depthBaselines.ts';
import { depthMetrics, medianScaled, meanDepthMetrics, type DepthMetrics } from '../src/core/depthMetrics.ts';
import { dropLabels, indoorScene } from '../src/core/indoorScene.ts';
import { DEPTH_CLASSES } from '../src/core/labelSets.ts';
import { outdoorScene } from '../src/core/outdoorScene.ts';
import type { Random, SyntheticScene } from '../src/core/sceneRaycast.ts';
import { selectBackend } from '../src/ml/backend.ts';
import { loadSegmentationDepthFromDisk } from '../src/ml/loadFromDisk.ts';
import { writeFileMkdir } from '../src/ml/nodeImage.ts';
import { SEG_DEPTH_SPECS, SEG_DEPTH_WEIGHTS, type SceneScores, type SegmentationDepthManifest } from '../src/ml/segmentationDepthManifest.ts';
import { scaleInvariantLoss, SEG_DEPTH_SIZE, SegmentationDepthNet, segmentationDepthInput } from '../src/ml/segmentationDepthNet.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2), { steps: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, seed: { type: 'string' }, 'held-out': { type: 'string' }, unlabelled: { type: 'string' }, outdoor: { type: 'string' }, 'max-minutes': { type: 'string' }, from: { type: 'string' }, out: { type: 'string' } });
const steps = numberFlag(args, 'steps', 3000);
const batch = numberFlag(args, 'batch', 16);
const lr = numberFlag(args, 'lr', 0.001);
const seed = numberFlag(args, 'seed', 1);
const heldOutCount = numberFlag(args, 'held-out', 300);
const unlabelled = numberFlag(args, 'unlabelled', 0.5);
const outdoor = numberFlag(args, 'outdoor', 0.35);
const maxSeconds = numberFlag(args, 'max-minutes', Infinity) * 60;
const outDir = resolve(repoRoot, args.flags.get('out') ?? 'models');
const { width, height } = SEG_DEPTH_SIZE;
const HELD_OUT_SEED = 1_000_003;

const backend = await selectBackend('wasm');
const random = seededRandom(seed);
const scene = () => (random() < outdoor ? outdoorScene(random, width, height) : indoorScene(random, width, height));
const logDepth = (scenes: SyntheticScene[]) => tf.tensor3d(Float32Array.from(scenes.flatMap((s) => Array.from(s.metres, Math.log))), [scenes.length, height, width]);

const from = args.flags.get('from');
const net = from ? SegmentationDepthNet.fromWeights((await loadSegmentationDepthFromDisk(resolve(repoRoot, from))).weights(), true) : SegmentationDepthNet.create(seed);
const previous = from ? (JSON.parse(await readFile(join(resolve(repoRoot, from), 'seg-depth.manifest.json'), 'utf8')) as SegmentationDepthManifest).training : undefined;
const optimizer = tf.train.adam(lr);
const start = performance.now();
let done = 0;
let recent = 0;
let finalLoss = NaN;
for (; done < steps && (performance.now() - start) / 1000 < maxSeconds; done++) {
  (optimizer as unknown as { learningRate: number }).learningRate = lr * (0.05 + 0.475 * (1 + Math.cos((Math.PI * done) / steps)));
  const scenes = Array.from({ length: batch }, scene);
  const loss = tf.tidy(() => {
    const input = segmentationDepthInput(scenes.map((s) => (random() < unlabelled ? dropLabels(s, random) : s.classes)));
    const target = logDepth(scenes);
    return optimizer.minimize(() => scaleInvariantLoss(net.logDepth(input), target), true, net.trainableVariables())!;
  });
  recent += loss.dataSync()[0];
  loss.dispose();
  if (done % 100 === 99) {
    finalLoss = recent / 100;
    console.log(`step ${done + 1}/${steps}: loss ${finalLoss.toFixed(4)}, ${((performance.now() - start) / 1000).toFixed(0)} s, ${tf.memory().numTensors} tensors`);
    recent = 0;
  }
}
const seconds = (performance.now() - start) / 1000;

// Per kind of scene: baselines fitted on training scenes of that kind, scored with the net on held-out ones.
function evaluate(draw: (r: Random) => SyntheticScene, heldOutRandom: Random): SceneScores {
  const fitting = Array.from({ length: 500 }, () => draw(random));
  const constant = fitConstantDepth(fitting);
  const profile = fitRowProfile(fitting);
  const rows: Record<keyof SceneScores, DepthMetrics[]> = { ours: [], oursUnscaled: [], oursUnlabelled: [], constant: [], byRow: [] };
  for (let i = 0; i < heldOutCount; i++) {
    const s = draw(heldOutRandom);
    const predicted = tf.tidy(() => tf.exp(net.logDepth(segmentationDepthInput([s.classes]))).dataSync() as Float32Array);
    rows.ours.push(depthMetrics(medianScaled(predicted, s.metres), s.metres));
    rows.oursUnscaled.push(depthMetrics(predicted, s.metres));
    const partial = tf.tidy(() => tf.exp(net.logDepth(segmentationDepthInput([dropLabels(s, heldOutRandom)]))).dataSync() as Float32Array);
    rows.oursUnlabelled.push(depthMetrics(medianScaled(partial, s.metres), s.metres));
    rows.constant.push(depthMetrics(medianScaled(constantDepth(width, height, constant).metres, s.metres), s.metres));
    rows.byRow.push(depthMetrics(medianScaled(rowProfileDepth(profile, width, height).metres, s.metres), s.metres));
  }
  const scores = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, meanDepthMetrics(v)])) as unknown as SceneScores;
  for (const [name, m] of Object.entries(scores)) console.log(`${name.padEnd(15)} δ<1.25 ${m.delta1.toFixed(3)}  abs rel ${m.absRel.toFixed(3)}  RMSE ${m.rmse.toFixed(3)}  RMSE(log) ${m.rmseLog.toFixed(3)}`);
  return scores;
}
console.log('held-out indoor rooms');
const indoorScores = evaluate((r) => indoorScene(r, width, height), seededRandom(HELD_OUT_SEED));
console.log('held-out outdoor scenes');
const outdoorScores = evaluate((r) => outdoorScene(r, width, height), seededRandom(HELD_OUT_SEED + 1));
// Outdoor scenes are held out from HELD_OUT_SEED + 1.
const evaluation = { scenes: heldOutCount, seed: HELD_OUT_SEED, indoor: indoorScores, outdoor: outdoorScores };

const { data, specs } = await tf.io.encodeWeights(net.weights());
const bytes = new Uint8Array(data);
const specText = JSON.stringify(specs);
await writeFileMkdir(join(outDir, SEG_DEPTH_WEIGHTS), bytes);
await writeFileMkdir(join(outDir, SEG_DEPTH_SPECS), new TextEncoder().encode(specText));
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const manifest: SegmentationDepthManifest = {
  name: 'Depth from segmentation (NYUv2 13 indoor + 6 outdoor classes, trained on procedural scenes)',
  inputs: `one-hot map of the ${DEPTH_CLASSES.length} depth classes (0 = unlabelled: all zeros) + normalised row and column, 64×48`,
  classes: DEPTH_CLASSES,
  size: SEG_DEPTH_SIZE,
  files: { [SEG_DEPTH_WEIGHTS]: sha256(bytes), [SEG_DEPTH_SPECS]: sha256(specText) },
  training: {
    data: `procedural scenes, ${batch} fresh per step from seed ${seed}: ${outdoor} of them outdoor (src/core/outdoorScene.ts), the rest indoor rooms (src/core/indoorScene.ts); ${unlabelled} of them with labels dropped as real maps have them (dropLabels)${previous ? `; before that: ${previous.data}` : ''}`,
    steps: done + (previous?.steps ?? 0),
    batch,
    optimizer: `${previous ? `${previous.optimizer}; then ${done} more steps: ` : ''}Adam ${lr}, cosine decay to ${lr / 20} over ${steps} steps`,
    loss: 'scale-invariant log error (Eigen et al. 2014), λ = 0.5',
    seed,
    backend: backend.name,
    seconds: Math.round(seconds + (previous?.seconds ?? 0)),
    finalLoss,
  },
  evaluation,
};
await writeFileMkdir(join(outDir, 'seg-depth.manifest.json'), new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
console.log(`wrote ${join(outDir, 'seg-depth.manifest.json')} (${done} steps, ${seconds.toFixed(0)} s)`);
net.dispose();
