// Trains the label autoencoder of thesis §5.3.1 on the PASCAL VOC label maps and writes models/label-ae/ with
// models/label-ae.manifest.json. The held-out maps (a fixed split by file-name hash) are scored once, at the
// end, at their original resolution: nothing is tuned on them.
// The defaults are the shipped run (docs/labelAutoencoder.md):
//   nice -n 10 npm run train:label-ae -- [--epochs 16] [--variant 32] [--batch 4] [--lr 0.001] [--seed 1] [--max-minutes 33] [--out models]
// --continue starts from the model already in --out (same variant) instead of a fresh initialisation, and the
// manifest keeps the earlier runs' figures: a half-hour budget per run need not cap the training.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanFlag, numberFlag, parseArgs } from '../src/cli/command.ts';
import { seededRandom } from '../src/core/clickProtocol.ts';
import { VOC_CLASSES } from '../src/core/labelSets.ts';
import { decodeIndexPng } from '../src/core/pngCodec.ts';
import { resizeNearest } from '../src/core/resizeNearest.ts';
import { ConfusionMatrix } from '../src/core/segmentationScore.ts';
import { selectBackend } from '../src/ml/backend.ts';
import { LABEL_AE_SPECS, LABEL_AE_WEIGHTS, type LabelAeManifest } from '../src/ml/labelAeManifest.ts';
import { trainStep } from '../src/ml/labelAeTraining.ts';
import { LABEL_AE_SIZE, LABEL_AE_VARIANTS, LabelAutoencoder, reconstructClassMap, toWorkingSize, type ClassMap, type LabelAeVariant } from '../src/ml/labelAutoencoder.ts';
import { loadLabelAutoencoderFromDisk, readLabelAeManifest } from '../src/ml/loadFromDisk.ts';
import { writeFileMkdir } from '../src/ml/nodeImage.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(repoRoot, '../shared/data/voc2012-masks/SegmentationClass');
const args = parseArgs(process.argv.slice(2), {
  epochs: { type: 'string' },
  variant: { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  'max-minutes': { type: 'string' },
  out: { type: 'string' },
  continue: { type: 'boolean' },
});
const HELD_OUT = 200;
const epochs = numberFlag(args, 'epochs', 16);
const variant = numberFlag(args, 'variant', 32) as LabelAeVariant;
if (!(variant in LABEL_AE_VARIANTS)) throw new Error(`--variant is one of ${Object.keys(LABEL_AE_VARIANTS).join(', ')}`);
const batchSize = numberFlag(args, 'batch', 4);
const lr = numberFlag(args, 'lr', 0.001);
const seed = numberFlag(args, 'seed', 1);
const maxSeconds = numberFlag(args, 'max-minutes', Infinity) * 60;
const outDir = resolve(repoRoot, args.flags.get('out') ?? 'models');
const size = LABEL_AE_SIZE;
const config = { variant, classes: VOC_CLASSES.length, size };

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

interface Sample extends ClassMap {
  id: string;
  input: Uint8Array;
  target: Uint8Array;
}

function mirrored(map: Uint8Array): Uint8Array {
  const out = new Uint8Array(map.length);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) out[y * size + x] = map[y * size + size - 1 - x];
  return out;
}

const backend = await selectBackend('wasm');
const files = (await readdir(dataDir)).filter((f) => f.endsWith('.png')).sort();
// The held-out maps: the HELD_OUT smallest sha256 of the file names, whatever order the files come in.
const heldOutIds = new Set([...files].sort((a, b) => sha256(a).localeCompare(sha256(b))).slice(0, HELD_OUT));
const samples: Sample[] = await Promise.all(
  files.map(async (f) => {
    const png = decodeIndexPng(await readFile(join(dataDir, f)));
    const map = { id: f, width: png.width, height: png.height, classes: Uint8Array.from(png.values) };
    return { ...map, input: toWorkingSize(map, size), target: resizeNearest(map.classes, map.width, map.height, size, size) };
  }),
);
const train = samples.filter((s) => !heldOutIds.has(s.id));
const heldOut = samples.filter((s) => heldOutIds.has(s.id));
console.log(`${samples.length} VOC label maps: ${train.length} train, ${heldOut.length} held out; ${size}×${size}, variant ${variant}, backend ${backend.name}`);

const previous = booleanFlag(args, 'continue') ? await readLabelAeManifest(outDir) : undefined;
if (previous && previous.architecture.variant !== variant) throw new Error(`--continue: the model in ${outDir} is variant ${previous.architecture.variant}, not ${variant}`);
const ae = previous ? await warmStart(outDir) : LabelAutoencoder.create(config, seed);

async function warmStart(dir: string): Promise<LabelAutoencoder> {
  const shipped = await loadLabelAutoencoderFromDisk(dir);
  return LabelAutoencoder.fromWeights(shipped.config, shipped.weights(), true);
}
const optimizer = tf.train.adam(lr);
const random = seededRandom(seed);
const steps = Math.ceil(train.length / batchSize);
const start = performance.now();
let epochsDone = 0;
let lastLoss = NaN;
for (let epoch = 0; epoch < epochs && (performance.now() - start) / 1000 < maxSeconds; epoch++) {
  const order = train.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let sum = 0;
  for (let s = 0; s < steps; s++) {
    // Cosine decay over the planned steps, to lr/20 at the end.
    const t = (epoch * steps + s) / (epochs * steps);
    (optimizer as unknown as { learningRate: number }).learningRate = lr * (0.05 + 0.475 * (1 + Math.cos(Math.PI * t)));
    const picked = order.slice(s * batchSize, (s + 1) * batchSize).map((i) => train[i]);
    const flip = picked.map(() => random() < 0.5);
    sum += trainStep(ae, optimizer, {
      inputs: picked.map((p, k) => (flip[k] ? mirrored(p.input) : p.input)),
      targets: picked.map((p, k) => (flip[k] ? mirrored(p.target) : p.target)),
    });
    if (s % 25 === 24) console.log(`  step ${s + 1}/${steps}: loss ${(sum / (s + 1)).toFixed(4)}, ${((performance.now() - start) / 1000).toFixed(0)} s`);
  }
  lastLoss = sum / steps;
  epochsDone = epoch + 1;
  console.log(`epoch ${epochsDone}/${epochs}: loss ${lastLoss.toFixed(4)}, ${((performance.now() - start) / 1000).toFixed(0)} s, ${tf.memory().numTensors} tensors`);
}
const seconds = (performance.now() - start) / 1000;

const scored = new ConfusionMatrix(config.classes);
const ceiling = new ConfusionMatrix(config.classes);
for (const s of heldOut) {
  scored.add(s.classes, await reconstructClassMap(ae, s));
  ceiling.add(s.classes, resizeNearest(s.input, size, size, s.width, s.height));
}
const iou = scored.perClassIoU();
const pct = (v: number) => Math.round(1000 * v) / 10;
const metrics: LabelAeManifest['metrics'] = {
  heldOutMIoU: pct(scored.meanIoU()),
  heldOutPixelAccuracy: pct(scored.pixelAccuracy()),
  heldOutResizeCeilingMIoU: pct(ceiling.meanIoU()),
  perClassIoU: Object.fromEntries(VOC_CLASSES.map((c, i) => [c, pct(iou[i])])),
  finalTrainLoss: Math.round(lastLoss * 1e4) / 1e4,
};
console.log(`held-out reconstruction mIoU ${metrics.heldOutMIoU} at original resolution (resize-only ceiling ${metrics.heldOutResizeCeilingMIoU}), pixel accuracy ${metrics.heldOutPixelAccuracy}; ${epochsDone} epochs in ${seconds.toFixed(0)} s`);

const { data, specs } = await tf.io.encodeWeights(ae.weights());
const weightBytes = new Uint8Array(data as ArrayBuffer);
const specBytes = JSON.stringify(specs);
await writeFileMkdir(join(outDir, LABEL_AE_WEIGHTS), weightBytes);
await writeFileMkdir(join(outDir, LABEL_AE_SPECS), new TextEncoder().encode(specBytes));
const channels = [...LABEL_AE_VARIANTS[variant]];
const manifest: LabelAeManifest = {
  name: `Label autoencoder (${variant}-channel bottleneck, ${size}×${size}, PASCAL VOC)`,
  architecture: {
    ...config,
    encoderChannels: channels,
    bottleneck: [size / 16, size / 16, channels[channels.length - 1]],
    aspect: 'stretched to the square working size (nearest), the output nearest-resized back to the map size',
    void: 'input: each void pixel takes its nearest labelled class; loss: void pixels not scored',
  },
  files: { [LABEL_AE_WEIGHTS]: sha256(weightBytes), [LABEL_AE_SPECS]: sha256(specBytes) },
  training: {
    data: '../shared/data/voc2012-masks/SegmentationClass (PASCAL VOC 2012 val annotations)',
    maps: samples.length,
    split: { rule: `held out: the ${HELD_OUT} file names with the smallest sha256`, train: train.length, heldOut: heldOut.map((s) => s.id) },
    seed,
    epochs: epochsDone,
    batch: batchSize,
    optimizer: `Adam, learning rate ${lr} with cosine decay to ${lr / 20} over ${epochs} planned epochs`,
    augmentation: 'horizontal flip, p = 0.5',
    backend: backend.name,
    seconds: Math.round(seconds),
    ...(previous && {
      continuedFrom: [
        ...(previous.training.continuedFrom ?? []),
        { epochs: previous.training.epochs, optimizer: previous.training.optimizer, seconds: previous.training.seconds, heldOutMIoU: previous.metrics.heldOutMIoU },
      ],
    }),
  },
  metrics,
};
await writeFileMkdir(join(outDir, 'label-ae.manifest.json'), new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
console.log(`wrote ${join(outDir, 'label-ae')} (${(weightBytes.length / 1024).toFixed(0)} KiB) and label-ae.manifest.json`);
ae.dispose();
