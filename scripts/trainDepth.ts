// Trains the per-superpixel depth regression (docs/depth.md; thesis §5.5, image input) on the real NYUv2
// RGB-D pairs and writes models/depth/ridge.json with models/depth.manifest.json. λ and the smoothing are
// chosen by leave-one-photo-out; the figures in the manifest are nested leave-one-photo-out (chosen without
// the scored photo), so none of them saw its own photo's depth.
//   npm run train:depth -- [--data ../shared/data/nyuv2] [--out models]
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../src/cli/command.ts';
import { fitRidgePath, nestedLeaveOnePhotoOut, photoStats, type DepthPhoto } from '../src/core/depthCrossValidation.ts';
import { meanDepthMetrics } from '../src/core/depthMetrics.ts';
import { sumStats } from '../src/core/ridgeRegression.ts';
import { selectBackend } from '../src/ml/backend.ts';
import { DEPTH_POSITION_FEATURES } from '../src/core/superpixelPosition.ts';
import { DEPTH_RIDGE, depthPenalty } from '../src/ml/depthFeatures.ts';
import { DEPTH_MODEL_FILE, type DepthManifest, type DepthRegressorFile } from '../src/ml/depthManifest.ts';
import { depthPairIds, loadDepthPair } from '../src/ml/depthPairs.ts';
import { loadBackboneFromDisk } from '../src/ml/loadFromDisk.ts';
import { writeFileMkdir } from '../src/ml/nodeImage.ts';
import { SEGMENT_DEFAULTS } from '../src/ml/segmentationEngine.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2), { data: { type: 'string' }, out: { type: 'string' } });
const dataDir = resolve(repoRoot, args.flags.get('data') ?? '../shared/data/nyuv2');
const outDir = resolve(repoRoot, args.flags.get('out') ?? 'models');
const t0 = performance.now();

const backend = await selectBackend('wasm');
const backbone = await loadBackboneFromDisk();
const ids = await depthPairIds(dataDir);
const photos: DepthPhoto[] = [];
for (const id of ids) {
  photos.push(await loadDepthPair(dataDir, id, backbone));
  console.error(`features ${photos.length}/${ids.length}`);
}
const zoomoutWidth = photos[0].dims - DEPTH_POSITION_FEATURES.length;
const penalty = depthPenalty(zoomoutWidth);
const cv = nestedLeaveOnePhotoOut(photos, { lambdas: DEPTH_RIDGE.lambdas, smoothings: DEPTH_RIDGE.smoothings, penalty, onProgress: (d, n) => console.error(`cross-validation ${d}/${n}`) });
const { lambda, smoothing } = cv.chosen;
const model = fitRidgePath(sumStats(photos.map(photoStats)), [lambda], penalty).get(lambda)!;

const regressor: DepthRegressorFile = {
  zoomoutWidth,
  positionFeatures: [...DEPTH_POSITION_FEATURES],
  mean: [...model.mean],
  scale: [...model.scale],
  weights: [...model.weights],
  intercept: model.intercept,
  smoothing,
};
const bytes = new TextEncoder().encode(JSON.stringify(regressor));
await writeFileMkdir(join(outDir, DEPTH_MODEL_FILE), bytes);
const mean = meanDepthMetrics(cv.nested.map((p) => p.metrics));
const manifest: DepthManifest = {
  name: 'Depth by superpixel (ridge on zoom-out features)',
  inputs: 'image (zoom-out features of the backbone) and superpixel position; no segmentation',
  features: {
    zoomout: `the engine's default superpixel features: ${zoomoutWidth} columns (levels L1–L5, H, S1, S2; detections ${SEGMENT_DEFAULTS.features.detections}, long side ${SEGMENT_DEFAULTS.features.longSide})`,
    position: [...DEPTH_POSITION_FEATURES],
    superpixels: `SLIC k=${SEGMENT_DEFAULTS.slic.k}, m=${SEGMENT_DEFAULTS.slic.m}`,
    target: 'mean log depth (metres) of the superpixel’s pixels',
  },
  files: { [DEPTH_MODEL_FILE]: createHash('sha256').update(bytes).digest('hex') },
  training: {
    data: 'NYU Depth V2 labeled set, the RGB-D pairs in ../shared/data/nyuv2 (rgb/, depth_mm/)',
    photos: ids,
    lambda,
    lambdas: [...DEPTH_RIDGE.lambdas],
    smoothing,
    smoothings: [...DEPTH_RIDGE.smoothings],
    positionPenalty: DEPTH_RIDGE.positionPenalty,
    seed: 'none: SLIC, features and the closed-form ridge are deterministic',
    backend: backend.name,
    seconds: Math.round((performance.now() - t0) / 1000),
  },
  crossValidation: { protocol: 'nested leave-one-photo-out (outer: the scored photo; inner: λ and smoothing by leave-one-photo-out on the others, lowest RMSE(log)), median-scaled, mean over photos', mean, perPhoto: cv.nested },
};
await writeFileMkdir(join(outDir, 'depth.manifest.json'), new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'));
console.log(`λ = ${lambda}, smoothing ${smoothing}; nested leave-one-photo-out: δ<1.25 ${mean.delta1.toFixed(3)}, abs rel ${mean.absRel.toFixed(3)}, RMSE ${mean.rmse.toFixed(3)} m, RMSE(log) ${mean.rmseLog.toFixed(3)}`);
console.log(`wrote ${join(outDir, DEPTH_MODEL_FILE)} and depth.manifest.json in ${manifest.training.seconds} s`);
