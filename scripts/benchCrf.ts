// Dense CRF refinement (thesis §2.1.2, eqs. 2.1.5–2.1.6) of interactive click segmentation on coco-mini with VOC
// classes: mIoU at P = 1 and 5 clicks per class with and without the CRF, the CRF's parameters chosen by k-fold
// cross-validation over photos (tuned on the other folds, reported on the held-out one, several fold shuffles),
// and the CRF's time on a 500×375 photo. See docs/crf.md.
//   npm run bench:crf -- [--quick] [--seeds 3] [--folds 5] [--shuffles 3] [--backend wasm] [--time-only]
//                         [--grid 'w1=0.5,1,3;thetaAlpha=30,80;thetaBeta=5;w2=1,3']   (CrfParams fields; the rest CRF_DEFAULTS)
//                         [--fix superpixels|pixels]   (strokes fix their superpixels, as the engine shows them, or only their pixels)
//                         [--engine wasm|ts]   (the CRF for the mIoU runs; the timing always runs both, side by side)
import { readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanFlag, numberFlag, parseArgs } from '../src/cli/command.ts';
import { clicksToScribbles, seededRandom, simulateClicks } from '../src/core/clickProtocol.ts';
import { CRF_DEFAULTS, crfEngine, crfKernels, denseCrf, useCrfWasm, type CrfKernels, type CrfParams } from '../src/core/denseCrf.ts';
import { strokeSource } from '../src/core/labelSources.ts';
import { VOC_CLASSES } from '../src/core/labelSets.ts';
import { decodeIndexPng } from '../src/core/pngCodec.ts';
import { paintSuperpixels, superpixelLabelsFromScribbles } from '../src/core/scribbles.ts';
import { ConfusionMatrix } from '../src/core/segmentationScore.ts';
import type { RgbaImage, SuperpixelMap } from '../src/core/types.ts';
import { selectBackend, type BackendName } from '../src/ml/backend.ts';
import { loadBackboneFromDisk } from '../src/ml/loadFromDisk.ts';
import { loadCrfWasmFromDisk } from '../src/ml/nodeCrfWasm.ts';
import { readImageRgba } from '../src/ml/nodeImage.ts';
import { SEGMENT_DEFAULTS, segmentPhotos, superpixelFeatures } from '../src/ml/segmentationEngine.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(repoRoot, '../shared/data/coco-mini');
const args = parseArgs(process.argv.slice(2), {
  seeds: { type: 'string' },
  folds: { type: 'string' },
  shuffles: { type: 'string' },
  backend: { type: 'string' },
  quick: { type: 'boolean' },
  'time-only': { type: 'boolean' },
  grid: { type: 'string' },
  fix: { type: 'string' },
  engine: { type: 'string' },
});
const quick = booleanFlag(args, 'quick');
const seeds = numberFlag(args, 'seeds', quick ? 1 : 3);
const folds = numberFlag(args, 'folds', quick ? 2 : 5);
const shuffles = numberFlag(args, 'shuffles', 3);
const K = VOC_CLASSES.length;
const CLICKS = [1, 5];
/** The 500×375 coco-mini photo the CRF is timed on. */
const TIMED_PHOTO = '000000034417';

/** The cartesian product of `--grid`'s value lists. */
function grid(spec: string): CrfParams[] {
  let out: CrfParams[] = [{ ...CRF_DEFAULTS }];
  for (const part of spec.split(';')) {
    const [name, list] = part.split('=');
    if (!(name in CRF_DEFAULTS)) throw new Error(`--grid: unknown CRF parameter '${name}'`);
    const values = list.split(',').map(Number);
    out = out.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  }
  return out;
}
const GRID = grid(args.flags.get('grid') ?? 'w1=0.5,1,3;thetaAlpha=30,80;thetaBeta=5;w2=1,3');
const describe = (p: CrfParams) => `w1 ${p.w1}, θα ${p.thetaAlpha}, θβ ${p.thetaBeta}, w2 ${p.w2}, θγ ${p.thetaGamma}, ${p.iterations} it.`;

interface Run {
  clicks: number;
  seed: number;
  /** Confusion of the painted superpixels, then of the CRF with each grid entry. */
  plain: ConfusionMatrix;
  crf: ConfusionMatrix[];
}
interface Photo {
  stem: string;
  runs: Run[];
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const pct = (v: number) => (100 * v).toFixed(1);
function sum(matrices: ConfusionMatrix[]): ConfusionMatrix {
  const total = new ConfusionMatrix(K);
  for (const m of matrices) for (let i = 0; i < m.counts.length; i++) total.counts[i] += m.counts[i];
  return total;
}

const backend = await selectBackend((args.flags.get('backend') ?? 'wasm') as BackendName);
const backbone = await loadBackboneFromDisk();
let files = (await readdir(join(dataDir, 'images'))).filter((f) => f.endsWith('.jpg')).sort();
if (quick) files = files.slice(0, 7);
// What the strokes fix in the CRF: the clicked pixels, or (as the engine shows them) their whole superpixels.
const fix = args.flags.get('fix') ?? 'superpixels';
if (fix !== 'pixels' && fix !== 'superpixels') throw new Error(`--fix must be pixels or superpixels, got '${fix}'`);
const timeOnly = booleanFlag(args, 'time-only');
const engine = args.flags.get('engine') ?? 'wasm';
if (engine !== 'wasm' && engine !== 'ts') throw new Error(`--engine must be wasm or ts, got '${engine}'`);
const crfWasm = await loadCrfWasmFromDisk();
useCrfWasm(engine === 'wasm' ? crfWasm : undefined);
if (timeOnly) files = [`${TIMED_PHOTO}.jpg`];
console.log(`coco-mini: ${files.length} photos, backend ${backend.name}, ${seeds} click seeds, ${folds} folds × ${shuffles} shuffles, ${GRID.length} CRF settings, strokes fix their ${fix}, CRF in ${crfEngine()}`);

/** The engine's per-superpixel probabilities for P clicks per class, as the CLI and the studio get them. */
async function unaryFor(image: RgbaImage, gt: Uint8Array, photo: Awaited<ReturnType<typeof superpixelFeatures>>, clicks: number, seed: number) {
  const scribbles = clicksToScribbles(simulateClicks(gt, image.width, image.height, clicks, 1000 * seed + clicks), image.width, image.height);
  const r = await segmentPhotos([{ id: 'photo', photo, sources: [strokeSource(photo.map, scribbles)] }], { classes: K, settings: SEGMENT_DEFAULTS });
  r.trained?.head.dispose();
  return { scribbles, labels: r.photos[0] };
}
const crfUnary = (map: SuperpixelMap, probabilities: Float32Array, scribbles: Uint8Array) => ({
  classes: K,
  probabilities,
  regions: map.labels,
  fixed: fix === 'pixels' ? scribbles : paintSuperpixels(map, superpixelLabelsFromScribbles(map, scribbles)),
});

const photos: Photo[] = [];
interface Timing {
  build: number[];
  inference: number[];
  total: number[];
  cpu: number[];
  /** The mean field alone with the kernels kept (a click on a photo whose kernels the worker holds). */
  cachedCpu: number[];
}
const TIMED_ENGINES = ['TypeScript', 'WebAssembly'] as const;
let timing: { engines: Record<(typeof TIMED_ENGINES)[number], Timing>; pixels: number; active: number } | undefined;
for (const file of files) {
  const stem = basename(file, '.jpg');
  const image = await readImageRgba(join(dataDir, 'images', file));
  const gt = decodeIndexPng(await readFile(join(dataDir, 'voc_masks', `${stem}.png`))).values as Uint8Array;
  const features = await superpixelFeatures(backbone, image, SEGMENT_DEFAULTS);
  const kernels = new Map<string, CrfKernels>();
  const kernelsFor = (p: CrfParams) => {
    const key = `${p.thetaAlpha}/${p.thetaBeta}/${p.thetaGamma}`;
    if (!kernels.has(key)) kernels.set(key, crfKernels(image, p));
    return kernels.get(key)!;
  };
  const runs: Run[] = [];
  for (const clicks of timeOnly ? [] : CLICKS) {
    for (let seed = 1; seed <= seeds; seed++) {
      const { scribbles, labels } = await unaryFor(image, gt, features, clicks, seed);
      const unary = crfUnary(features.map, labels.probabilities, scribbles);
      runs.push({
        clicks,
        seed,
        plain: new ConfusionMatrix(K).add(gt, paintSuperpixels(features.map, labels.classes)),
        crf: GRID.map((p) => new ConfusionMatrix(K).add(gt, denseCrf(image, unary, p, kernelsFor(p)).labels)),
      });
    }
  }
  if (stem === TIMED_PHOTO) {
    const { scribbles, labels } = await unaryFor(image, gt, features, 5, 1);
    const unary = crfUnary(features.map, labels.probabilities, scribbles);
    const fresh = (): Timing => ({ build: [], inference: [], total: [], cpu: [], cachedCpu: [] });
    timing = { engines: { TypeScript: fresh(), WebAssembly: fresh() }, pixels: image.width * image.height, active: 0 };
    // Side by side: each round times both engines, so the machine's load (shared with other jobs) hits both alike.
    for (let r = 0; r < 7; r++) {
      for (const name of TIMED_ENGINES) {
        useCrfWasm(name === 'WebAssembly' ? crfWasm : undefined);
        const t = timing.engines[name];
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const k = crfKernels(image, CRF_DEFAULTS);
        const t1 = performance.now();
        timing.active = denseCrf(image, unary, CRF_DEFAULTS, k).activeClasses.length;
        const t2 = performance.now();
        const cpu1 = process.cpuUsage(cpu0);
        denseCrf(image, unary, CRF_DEFAULTS, k);
        const cpu2 = process.cpuUsage(cpu0);
        t.build.push(t1 - t0);
        t.inference.push(t2 - t1);
        t.total.push(t2 - t0);
        t.cpu.push((cpu1.user + cpu1.system) / 1000);
        t.cachedCpu.push((cpu2.user + cpu2.system - cpu1.user - cpu1.system) / 1000);
      }
    }
    useCrfWasm(engine === 'wasm' ? crfWasm : undefined);
  }
  features.features.dispose();
  photos.push({ stem, runs });
  process.stdout.write('.');
}
console.log();

/** Dataset mIoU per (clicks, seed) from each photo's confusion, `pick` choosing which matrix of a run. */
function miou(subset: Photo[], clicks: number, seed: number, pick: (run: Run, photo: Photo) => ConfusionMatrix): number {
  return sum(subset.map((ph) => pick(ph.runs.find((r) => r.clicks === clicks && r.seed === seed)!, ph))).meanIoU();
}
const seedList = Array.from({ length: seeds }, (_, i) => i + 1);
const overSeeds = (f: (seed: number) => number) => mean(seedList.map(f));

// Cross-validation: the grid entry with the best mean mIoU over P and seeds on the training folds is used on
// the held-out fold; every photo is held out once per shuffle.
function crossValidate(): void {
  const chosen = new Map<string, number>();
  const held: Record<number, number[]> = Object.fromEntries(CLICKS.map((p) => [p, []]));
  for (let shuffle = 1; shuffle <= shuffles; shuffle++) {
    const random = seededRandom(shuffle);
    const order = photos.map((p) => ({ p, r: random() })).sort((a, b) => a.r - b.r).map(({ p }) => p);
    const choice = new Map<Photo, number>();
    for (let f = 0; f < folds; f++) {
      const train = order.filter((_, i) => i % folds !== f);
      const scores = GRID.map((_, g) => mean(CLICKS.map((p) => overSeeds((seed) => miou(train, p, seed, (run) => run.crf[g])))));
      const best = scores.indexOf(Math.max(...scores));
      for (const [i, p] of order.entries()) if (i % folds === f) choice.set(p, best);
      chosen.set(describe(GRID[best]), (chosen.get(describe(GRID[best])) ?? 0) + 1);
    }
    for (const p of CLICKS) held[p].push(overSeeds((seed) => miou(photos, p, seed, (run, photo) => run.crf[choice.get(photo)!])));
  }

  const rows = CLICKS.map((p) => {
    const plain = overSeeds((seed) => miou(photos, p, seed, (run) => run.plain));
    const crf = mean(held[p]);
    return `| P=${p} | ${pct(plain)} | ${pct(crf)} | ${(100 * (crf - plain)).toFixed(1)} | ${held[p].map(pct).join(' · ')} |`;
  });
  console.log(
    `\n| clicks per class | mIoU % without CRF | with CRF (held-out folds) | Δ | per shuffle |\n|---|---|---|---|---|\n${rows.join('\n')}\n\n` +
      `settings chosen on the training folds (count of folds):\n${[...chosen.entries()].map(([d, c]) => `  ${c}× ${d}`).join('\n')}\n` +
      `in-sample, all photos (not a result, for reference):\n${GRID.map((g, i) => `  ${describe(g)} → ${CLICKS.map((p) => `P=${p} ${pct(overSeeds((seed) => miou(photos, p, seed, (run) => run.crf[i])))}`).join(', ')}`).join('\n')}`,
  );
}
if (!timeOnly) crossValidate();
if (timing) {
  const { pixels, active } = timing;
  console.log(
    `\nCRF on the ${pixels === 500 * 375 ? '500×375' : `${pixels}-pixel`} photo ${TIMED_PHOTO} (CRF_DEFAULTS, P = 5 unary, ${active} classes in play), median of 7 (ms), ` +
      `load average ${os.loadavg().map((v) => v.toFixed(1)).join(' / ')} on ${os.cpus().length} cores:`,
  );
  for (const name of TIMED_ENGINES) {
    const t = timing.engines[name];
    console.log(
      `  ${name.padEnd(11)} lattices ${median(t.build).toFixed(0)}, mean field ${median(t.inference).toFixed(0)}, total ${median(t.total).toFixed(0)} wall; ` +
        `CPU ${median(t.cpu).toFixed(0)} per photo, ${median(t.cachedCpu).toFixed(0)} with the kernels kept`,
    );
  }
}
