// The WebAssembly dense CRF against the TypeScript one it ports: the same lattice tables, and marginals within
// f32 rounding, on the BSDS500 crops and on whole photos.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from './clickProtocol.ts';
import { crfCrop } from './crfTestCrops.ts';
import { CrfWasm } from './crfWasm.ts';
import { CRF_DEFAULTS, crfKernels, denseCrf, useCrfWasm, type CrfKernels, type CrfParams, type CrfResult, type CrfUnary } from './denseCrf.ts';
import { sharedDataPath } from './testData.ts';
import type { RgbaImage } from './types.ts';

let wasm: CrfWasm;

beforeAll(async () => {
  wasm = await CrfWasm.instantiate(await readFile(fileURLToPath(new URL('../../build/crf.wasm', import.meta.url))));
});

afterEach(() => useCrfWasm(undefined));

async function photo(stem: string): Promise<RgbaImage> {
  const { data, info } = await sharp(sharedDataPath('bsds500', 'images', `${stem}.jpg`)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Per-pixel probabilities over `classes`, smooth in x with noise, so every class is in play somewhere. */
function unary(image: RgbaImage, classes: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const p = new Float32Array(image.width * image.height * classes);
  for (let i = 0; i < image.width * image.height; i++) {
    const favourite = Math.floor(((i % image.width) / image.width) * classes);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += p[i * classes + c] = (c === favourite ? 2 : 0.2) + random();
    for (let c = 0; c < classes; c++) p[i * classes + c] /= sum;
  }
  return p;
}

function build(image: RgbaImage, params: Pick<CrfParams, 'thetaAlpha' | 'thetaBeta' | 'thetaGamma'>, engine: CrfWasm | undefined): CrfKernels {
  useCrfWasm(engine);
  return crfKernels(image, params);
}

function run(image: RgbaImage, input: CrfUnary, params: Partial<CrfParams>, kernels: CrfKernels, engine: CrfWasm | undefined): CrfResult {
  useCrfWasm(engine);
  return denseCrf(image, input, { ...params, marginals: true }, kernels);
}

function compare(a: CrfResult, b: CrfResult): { worst: number; mean: number; disagree: number } {
  let worst = 0;
  let sum = 0;
  for (let i = 0; i < a.marginals!.length; i++) {
    const diff = Math.abs(a.marginals![i] - b.marginals![i]);
    worst = Math.max(worst, diff);
    sum += diff;
  }
  let disagree = 0;
  for (let i = 0; i < a.labels.length; i++) if (a.labels[i] !== b.labels[i]) disagree++;
  return { worst, mean: sum / a.marginals!.length, disagree: disagree / a.labels.length };
}

describe('CrfWasm', () => {
  it('builds the same lattice tables as the TypeScript version (crops at several θs, a whole photo at the defaults)', async () => {
    const images: [RgbaImage, Pick<CrfParams, 'thetaAlpha' | 'thetaBeta' | 'thetaGamma'>][] = [];
    for (const stem of ['100007', '100099', '101027']) {
      const crop = await crfCrop(stem);
      for (const [thetaAlpha, thetaBeta, thetaGamma] of [
        [5, 10, 3],
        [10, 20, 1],
        [60, 13, 3],
      ]) {
        images.push([crop, { thetaAlpha, thetaBeta, thetaGamma }]);
      }
    }
    images.push([await photo('100007'), CRF_DEFAULTS]);
    for (const [image, params] of images) {
      const ts = build(image, params, undefined);
      const wa = build(image, params, wasm);
      for (const kernel of ['appearance', 'smoothness'] as const) {
        expect(wa[kernel].vertices).toBe(ts[kernel].vertices);
        expect(wa[kernel].offsets).toEqual(ts[kernel].offsets);
        expect(wa[kernel].before).toEqual(ts[kernel].before);
        expect(wa[kernel].after).toEqual(ts[kernel].after);
        expect(wa[kernel].weights).toEqual(ts[kernel].weights);
      }
      // The normalizers are filtered in f32 (TypeScript rounds each accumulation from f64): measured ≤ 4e-7 relative.
      for (const [w, t] of [
        [wa.appearanceNorm, ts.appearanceNorm],
        [wa.smoothnessNorm, ts.smoothnessNorm],
      ]) {
        for (let i = 0; i < t.length; i++) expect(Math.abs(w[i] - t[i]) / t[i]).toBeLessThan(1e-5);
      }
    }
  });

  // 2 classes in play filter one channel alone, 4 a block of three lanes, 7 a block of four and one of two.
  for (const classes of [2, 4, 7]) {
    it(`gives the TypeScript marginals within f32 rounding (${classes} classes, crops and a whole photo)`, async () => {
      const images: [RgbaImage, Partial<CrfParams>][] = [];
      for (const stem of ['100007', '100099', '101027']) images.push([await crfCrop(stem), { thetaAlpha: 5, thetaBeta: 15, w1: 6, w2: 2, iterations: 4 }]);
      images.push([await photo('100099'), CRF_DEFAULTS]);
      for (const [image, params] of images) {
        const probabilities = unary(image, classes, classes);
        const input = { classes, probabilities };
        const full = { ...CRF_DEFAULTS, ...params };
        const kernels = build(image, full, undefined);
        // One iteration: only rounding apart (measured ≤ 3e-6).
        const one = compare(run(image, input, { ...params, iterations: 1 }, kernels, undefined), run(image, input, { ...params, iterations: 1 }, kernels, wasm));
        expect(one.worst).toBeLessThan(1e-4);
        // All iterations: the fixed point can amplify rounding at a pixel near a tie, so bound the mean and the labels.
        const ts = run(image, input, params, kernels, undefined);
        const all = compare(ts, run(image, input, params, kernels, wasm));
        expect(all.mean).toBeLessThan(1e-5);
        expect(all.disagree).toBeLessThan(1e-3);
        expect(Array.from(run(image, input, params, build(image, full, wasm), wasm).activeClasses)).toEqual(Array.from(ts.activeClasses));
      }
    });
  }

  it('takes a region map and fixed pixels as the TypeScript version does, with kernels from either', async () => {
    const image = await photo('100007');
    const n = image.width * image.height;
    const regions = Int32Array.from({ length: n }, (_, i) => Math.floor((i % image.width) / 8) + 64 * Math.floor(Math.floor(i / image.width) / 8));
    const count = regions[n - 1] + 1;
    const random = seededRandom(4);
    const probabilities = Float32Array.from({ length: count * 3 }, () => random());
    // A stroke of class 2 over region 0 and one of class 0 over region 100; 255 is free.
    const fixed = Uint8Array.from(regions, (r) => (r === 0 ? 2 : r === 100 ? 0 : 255));
    const input = { classes: 3, probabilities, regions, fixed };
    const tsKernels = build(image, CRF_DEFAULTS, undefined);
    const wasmKernels = build(image, CRF_DEFAULTS, wasm);
    const ts = run(image, input, CRF_DEFAULTS, tsKernels, undefined);
    for (const [kernels, engine] of [
      [tsKernels, wasm],
      [wasmKernels, wasm],
      [wasmKernels, undefined],
    ] as const) {
      const other = run(image, input, CRF_DEFAULTS, kernels, engine);
      expect(compare(ts, other).disagree).toBeLessThan(1e-3);
      for (let i = 0; i < n; i++) if (fixed[i] !== 255) expect(other.labels[i]).toBe(fixed[i]);
    }
  });

  it('rebuilds kernels whose instance went to other photos, with the same result', async () => {
    const images = await Promise.all(['100007', '100099', '101027'].map(photo));
    useCrfWasm(wasm);
    const kernels = images.map((image) => crfKernels(image, CRF_DEFAULTS));
    const input = (image: RgbaImage) => ({ classes: 2, probabilities: unary(image, 2, 9) });
    const first = denseCrf(images[0], input(images[0]), CRF_DEFAULTS, kernels[0]);
    const fresh = denseCrf(images[0], input(images[0]), CRF_DEFAULTS, crfKernels(images[0], CRF_DEFAULTS));
    expect(first.labels).toEqual(fresh.labels);
    expect(denseCrf(images[1], input(images[1]), CRF_DEFAULTS, kernels[1]).labels).toEqual(denseCrf(images[1], input(images[1]), CRF_DEFAULTS, crfKernels(images[1], CRF_DEFAULTS)).labels);
  });
});
