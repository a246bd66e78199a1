// Depth benchmark (thesis Table 5.5's measures; issue 9): nested leave-one-photo-out over the real NYUv2
// RGB-D pairs — each photo predicted by models fitted on the others only (λ of ours chosen inside them too),
// median-scaled — for ours (per-superpixel ridge on zoom-out features + position), one constant depth and
// depth by image row, side by side. See docs/depth.md.
//   npm run bench:depth -- [--data ../shared/data/nyuv2]
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../src/cli/command.ts';
import { constantDepth, fitConstantDepth, fitRowProfile, rowProfileDepth } from '../src/core/depthBaselines.ts';
import { nestedLeaveOnePhotoOut, type DepthPhoto } from '../src/core/depthCrossValidation.ts';
import type { DepthMap } from '../src/core/depthMap.ts';
import { DEPTH_METRIC_NAMES, depthMetrics, meanDepthMetrics, medianScaled, type DepthMetrics } from '../src/core/depthMetrics.ts';
import { selectBackend } from '../src/ml/backend.ts';
import { DEPTH_POSITION_FEATURES } from '../src/core/superpixelPosition.ts';
import { DEPTH_RIDGE, depthPenalty } from '../src/ml/depthFeatures.ts';
import { depthPairIds, loadDepthPair } from '../src/ml/depthPairs.ts';
import { loadBackboneFromDisk } from '../src/ml/loadFromDisk.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2), { data: { type: 'string' } });
const dataDir = resolve(repoRoot, args.flags.get('data') ?? '../shared/data/nyuv2');
const TARGETS = { delta1: 0.72, absRel: 0.2 };

const backend = await selectBackend('wasm');
const backbone = await loadBackboneFromDisk();
const ids = await depthPairIds(dataDir);
const t0 = performance.now();
const photos: DepthPhoto[] = [];
for (const id of ids) photos.push(await loadDepthPair(dataDir, id, backbone));
const featureSeconds = (performance.now() - t0) / 1000;
const t1 = performance.now();
const cv = nestedLeaveOnePhotoOut(photos, { lambdas: DEPTH_RIDGE.lambdas, smoothings: DEPTH_RIDGE.smoothings, penalty: depthPenalty(photos[0].dims - DEPTH_POSITION_FEATURES.length) });
const cvSeconds = (performance.now() - t1) / 1000;

const score = (gt: DepthMap, pred: DepthMap) => depthMetrics(medianScaled(pred.metres, gt.metres), gt.metres);
const constant: DepthMetrics[] = [];
const byRow: DepthMetrics[] = [];
photos.forEach((p, o) => {
  const others = photos.filter((_, k) => k !== o).map((q) => q.depth);
  const { width, height } = p.depth;
  constant.push(score(p.depth, constantDepth(width, height, fitConstantDepth(others))));
  byRow.push(score(p.depth, rowProfileDepth(fitRowProfile(others), width, height)));
});

const f = (v: number) => v.toFixed(3).padStart(9);
const header = `${'method'.padEnd(34)}${DEPTH_METRIC_NAMES.map((k) => k.padStart(9)).join('')}`;
const line = (name: string, m: DepthMetrics) => `${name.padEnd(34)}${DEPTH_METRIC_NAMES.map((k) => f(m[k])).join('')}`;
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
