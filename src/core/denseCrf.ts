// Fully connected CRF refinement (thesis §2.1.2, eqs. 2.1.5–2.1.6; Krähenbühl & Koltun 2011): Potts
// compatibility, an appearance kernel w1·exp(−|p_i−p_j|²/2θα² − |I_i−I_j|²/2θβ²) and a smoothness kernel
// w2·exp(−|p_i−p_j|²/2θγ²), mean-field inference with both kernels filtered on permutohedral lattices.
// As in the authors' reference code each kernel is normalized per pixel (a weighted mean of the neighbours'
// marginals, the pixel itself included), so w1 and w2 mean the same at any θ and image size.
import type { CrfWasm } from './crfWasm.ts';
import { PermutohedralLattice } from './permutohedralLattice.ts';
import { IGNORE_LABEL, type RgbaImage } from './types.ts';

export interface CrfParams {
  /** Mean-field iterations. */
  iterations: number;
  /** Appearance kernel: weight w1, position σ θα (pixels), colour σ θβ (RGB levels 0–255). */
  w1: number;
  thetaAlpha: number;
  thetaBeta: number;
  /** Smoothness kernel: weight w2, position σ θγ (pixels). */
  w2: number;
  thetaGamma: number;
  /** A class below this probability everywhere (and nobody's argmax) takes no part: it could not win anyway. */
  minProbability: number;
  /** Probabilities are clamped up to this before −log, so a zero is a large, not an infinite, unary. */
  probabilityFloor: number;
}

/** The setting 12 of 15 training-fold selections chose in `npm run bench:crf`'s cross-validation (docs/crf.md). */
export const CRF_DEFAULTS: CrfParams = {
  iterations: 5,
  w1: 3,
  thetaAlpha: 80,
  thetaBeta: 5,
  w2: 3,
  thetaGamma: 3,
  minProbability: 0.01,
  probabilityFloor: 1e-4,
};

/** The unary: class probabilities per region (a superpixel, or a pixel when `regions` is absent). */
export interface CrfUnary {
  classes: number;
  /** [regions × classes] row-major. */
  probabilities: Float32Array;
  /** Region of each pixel, e.g. `SuperpixelMap.labels`. */
  regions?: Int32Array;
  /** Per pixel, a class it must keep (the user's strokes, rasterized) or 255; a fixed pixel still sends messages. */
  fixed?: ArrayLike<number>;
}

export interface CrfResult {
  /** Refined class per pixel. */
  labels: Uint8Array;
  /** The classes that took part, ascending. */
  activeClasses: Int32Array;
  /** [pixels × activeClasses.length] marginals Q, when asked for. */
  marginals?: Float32Array;
}

/**
 * The two kernels' lattices and per-pixel normalizers for one photo; depend only on the image and the θs.
 * Kernels built in WebAssembly keep their tables in their own module instance, copied out only if read here.
 */
export interface CrfKernels {
  readonly width: number;
  readonly height: number;
  readonly thetaAlpha: number;
  readonly thetaBeta: number;
  readonly thetaGamma: number;
  readonly appearance: PermutohedralLattice;
  readonly smoothness: PermutohedralLattice;
  /** 1 / Σ_j k(i, j) per pixel, for each kernel. */
  readonly appearanceNorm: Float32Array;
  readonly smoothnessNorm: Float32Array;
}

let wasm: CrfWasm | undefined;

/** Which implementation `crfKernels` and `denseCrf` run now. */
export function crfEngine(): 'WebAssembly' | 'TypeScript' {
  return wasm ? 'WebAssembly' : 'TypeScript';
}

/**
 * From now on the lattices are built and the mean field runs in WebAssembly (the same lattices; marginals within
 * f32 rounding, see crfWasm.test.ts); `undefined` goes back to TypeScript. Kernels from either work with both.
 */
export function useCrfWasm(kernel: CrfWasm | undefined): void {
  wasm = kernel;
}

/** Each pixel's kernel features, divided by their σs: (x, y, r, g, b) for appearance, (x, y) for smoothness. */
export function crfFeatures(image: RgbaImage, params: Pick<CrfParams, 'thetaAlpha' | 'thetaBeta' | 'thetaGamma'>, app: Float32Array, smooth: Float32Array): void {
  const { width, height, data } = image;
  const { thetaAlpha, thetaBeta, thetaGamma } = params;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      app[i * 5] = x / thetaAlpha;
      app[i * 5 + 1] = y / thetaAlpha;
      app[i * 5 + 2] = data[i * 4] / thetaBeta;
      app[i * 5 + 3] = data[i * 4 + 1] / thetaBeta;
      app[i * 5 + 4] = data[i * 4 + 2] / thetaBeta;
      smooth[i * 2] = x / thetaGamma;
      smooth[i * 2 + 1] = y / thetaGamma;
    }
  }
}

/** Builds both lattices (the costly part that does not depend on the labels: a caller may keep it per photo). */
export function crfKernels(image: RgbaImage, params: Pick<CrfParams, 'thetaAlpha' | 'thetaBeta' | 'thetaGamma'> = CRF_DEFAULTS): CrfKernels {
  if (wasm) return wasm.kernels(image, params);
  const { width, height } = image;
  const n = width * height;
  const { thetaAlpha, thetaBeta, thetaGamma } = params;
  const app = new Float32Array(n * 5);
  const smooth = new Float32Array(n * 2);
  crfFeatures(image, params, app, smooth);
  const appearance = new PermutohedralLattice(app, 5);
  const smoothness = new PermutohedralLattice(smooth, 2);
  const ones = new Float32Array(n).fill(1);
  const appearanceNorm = appearance.filter(ones, 1);
  const smoothnessNorm = smoothness.filter(ones, 1);
  for (let i = 0; i < n; i++) {
    appearanceNorm[i] = 1 / appearanceNorm[i];
    smoothnessNorm[i] = 1 / smoothnessNorm[i];
  }
  return { width, height, thetaAlpha, thetaBeta, thetaGamma, appearance, smoothness, appearanceNorm, smoothnessNorm };
}

/** Classes that can matter: above `minProbability` somewhere, some region's argmax, or fixed somewhere. */
export function activeClasses(unary: CrfUnary, minProbability: number): Int32Array {
  const { classes, probabilities, fixed } = unary;
  const keep = new Uint8Array(classes);
  for (let o = 0; o < probabilities.length; o += classes) {
    let best = 0;
    for (let c = 0; c < classes; c++) {
      const p = probabilities[o + c];
      if (p >= minProbability) keep[c] = 1;
      if (p > probabilities[o + best]) best = c;
    }
    keep[best] = 1;
  }
  if (fixed) for (let i = 0; i < fixed.length; i++) if (fixed[i] !== IGNORE_LABEL) keep[fixed[i]] = 1;
  return Int32Array.from(Array.from(keep.keys()).filter((c) => keep[c]));
}

/**
 * Mean-field inference (Krähenbühl & Koltun, Algorithm 1) for the dense CRF over `image`'s pixels:
 * Q_i(l) ∝ exp(log p_i(l) + w1·Q̃ᵅ_i(l) + w2·Q̃ᵞ_i(l)), Q̃ each kernel's normalized filtering of Q; Potts makes
 * the message of class l the kernel-weighted mass of l around i. `kernels` (from `crfKernels`) skips the
 * lattice construction when the caller already has it for this photo and these θs.
 */
export function denseCrf(image: RgbaImage, unary: CrfUnary, options: Partial<CrfParams> & { marginals?: boolean } = {}, kernels?: CrfKernels): CrfResult {
  const params = { ...CRF_DEFAULTS, ...options };
  const { width, height } = image;
  const n = width * height;
  const { classes, probabilities, regions, fixed } = unary;
  if (classes > 256) throw new RangeError(`at most 256 classes, got ${classes}`);
  const regionCount = probabilities.length / classes;
  if (!regions && regionCount !== n) throw new RangeError(`${regionCount} probability rows for ${n} pixels and no region map`);
  if (regions && regions.length !== n) throw new RangeError(`region map has ${regions.length} pixels, the image ${n}`);
  if (fixed && fixed.length !== n) throw new RangeError(`fixed labels for ${fixed.length} pixels, the image has ${n}`);
  const active = activeClasses(unary, params.minProbability);
  const a = active.length;
  // Unary per region and active class.
  const logp = new Float32Array(regionCount * a);
  for (let r = 0; r < regionCount; r++) {
    for (let c = 0; c < a; c++) logp[r * a + c] = Math.log(Math.max(probabilities[r * classes + active[c]], params.probabilityFloor));
  }
  const pairwise = a > 1 && params.iterations > 0 && (params.w1 !== 0 || params.w2 !== 0);
  const k = pairwise ? (kernels ?? crfKernels(image, params)) : undefined;
  if (k && (k.width !== width || k.height !== height || k.thetaAlpha !== params.thetaAlpha || k.thetaBeta !== params.thetaBeta || k.thetaGamma !== params.thetaGamma)) {
    throw new Error('the CRF kernels were built for another image size or other θs');
  }
  if (k && wasm) {
    const { labels, marginals } = wasm.meanField(k, { active, logp, regions, fixed, params, marginals: options.marginals ?? false });
    return { labels, activeClasses: active, ...(marginals ? { marginals } : {}) };
  }

  const region = regions ?? Int32Array.from({ length: n }, (_, i) => i);
  const free = new Uint8Array(n).fill(1);
  if (fixed) for (let i = 0; i < n; i++) free[i] = fixed[i] === IGNORE_LABEL ? 1 : 0;
  // The initial marginals Q = softmax(log p).
  const q = new Float32Array(n * a);
  const energy = new Float32Array(a);
  for (let i = 0; i < n; i++) {
    if (free[i]) softmaxInto(logp, region[i] * a, q, i * a, a, energy);
    else q[i * a + active.indexOf(fixed![i])] = 1;
  }

  if (k) {
    const appearance = new Float32Array(n * a);
    const smoothness = new Float32Array(n * a);
    const wa = k.appearanceNorm.map((v) => params.w1 * v);
    const ws = k.smoothnessNorm.map((v) => params.w2 * v);
    // Q sums to 1 and the filters are linear and normalized, so the last class's message is 1 − the others'.
    for (let it = 0; it < params.iterations; it++) {
      if (params.w1 !== 0) k.appearance.filter(q, a, appearance, a - 1);
      if (params.w2 !== 0) k.smoothness.filter(q, a, smoothness, a - 1);
      update(q, a, logp, region, free, appearance, wa, params.w1, smoothness, ws, params.w2, energy);
    }
  }

  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < a; c++) if (q[i * a + c] > q[i * a + best]) best = c;
    labels[i] = active[best];
  }
  return { labels, activeClasses: active, ...(options.marginals ? { marginals: q } : {}) };
}

/**
 * One mean-field step for every free pixel: Q_i = softmax(log p + wa_i·appearance_i + ws_i·smoothness_i), the
 * filtered arrays holding all classes but the last, whose normalized message is w − the others' (w1 or w2).
 */
function update(
  q: Float32Array,
  a: number,
  logp: Float32Array,
  region: Int32Array,
  free: Uint8Array,
  appearance: Float32Array,
  wa: Float32Array,
  w1: number,
  smoothness: Float32Array,
  ws: Float32Array,
  w2: number,
  energy: Float32Array,
): void {
  const last = a - 1;
  for (let i = 0, o = 0; i < free.length; i++, o += a) {
    if (!free[i]) continue;
    const r = region[i] * a;
    let restA = w1;
    let restS = w2;
    for (let c = 0; c < last; c++) {
      const ma = wa[i] * appearance[o + c];
      const ms = ws[i] * smoothness[o + c];
      restA -= ma;
      restS -= ms;
      energy[c] = logp[r + c] + ma + ms;
    }
    energy[last] = logp[r + last] + restA + restS;
    softmaxInto(energy, 0, q, o, a, energy);
  }
}

/** out[at..at+a) = softmax(values[from..from+a)); `scratch` (length ≥ a) may be `values` itself. */
function softmaxInto(values: Float32Array, from: number, out: Float32Array, at: number, a: number, scratch: Float32Array): void {
  let max = -Infinity;
  for (let c = 0; c < a; c++) if (values[from + c] > max) max = values[from + c];
  let sum = 0;
  for (let c = 0; c < a; c++) sum += scratch[c] = Math.exp(values[from + c] - max);
  for (let c = 0; c < a; c++) out[at + c] = scratch[c] / sum;
}
