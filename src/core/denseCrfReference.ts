// A slow, plainly written dense CRF (thesis §2.1.2, eqs. 2.1.5–2.1.6), kept only so tests can check
// denseCrf.ts and permutohedralLattice.ts against it: exact Gaussian sums over all pixel pairs, O(N²), every
// class, no lattice and no pruning of classes.
import type { CrfParams } from './denseCrf.ts';
import type { RgbaImage } from './types.ts';

/** out_i = Σ_j exp(−|f_i − f_j|²/2)·v_j over all j (i included), for [n × dims] features and [n × channels] values. */
export function exactGaussianFilter(features: Float32Array, dims: number, values: Float32Array, channels: number): Float64Array {
  const n = features.length / dims;
  const out = new Float64Array(n * channels);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let d2 = 0;
      for (let k = 0; k < dims; k++) d2 += (features[i * dims + k] - features[j * dims + k]) ** 2;
      const w = Math.exp(-d2 / 2);
      for (let c = 0; c < channels; c++) out[i * channels + c] += w * values[j * channels + c];
    }
  }
  return out;
}

/** The kernel matrix of one pixel pair, both kernels of eq. 2.1.6 written out with image coordinates. */
function kernels(image: RgbaImage, i: number, j: number, params: CrfParams): [number, number] {
  const { width, data } = image;
  const dx = (i % width) - (j % width);
  const dy = Math.floor(i / width) - Math.floor(j / width);
  const p2 = dx * dx + dy * dy;
  let c2 = 0;
  for (let k = 0; k < 3; k++) c2 += (data[i * 4 + k] - data[j * 4 + k]) ** 2;
  return [
    Math.exp(-p2 / (2 * params.thetaAlpha ** 2) - c2 / (2 * params.thetaBeta ** 2)),
    Math.exp(-p2 / (2 * params.thetaGamma ** 2)),
  ];
}

/**
 * Exact mean field with per-pixel probabilities [pixels × classes]: Q_i(l) ∝ p_i(l)·exp(Σ_m w_m·Σ_j k_m(i,j)Q_j(l) / Σ_j k_m(i,j)),
 * j over all pixels (i included, as the lattice does). Returns Q [pixels × classes].
 */
export function bruteForceMeanField(image: RgbaImage, probabilities: Float32Array, classes: number, params: CrfParams): Float64Array {
  const n = image.width * image.height;
  const logp = probabilities.map((p) => Math.log(Math.max(p, params.probabilityFloor)));
  let q = new Float64Array(n * classes);
  const update = (message: (i: number, l: number) => number) => {
    const next = new Float64Array(n * classes);
    for (let i = 0; i < n; i++) {
      const e = Array.from({ length: classes }, (_, l) => logp[i * classes + l] + message(i, l));
      const max = Math.max(...e);
      const z = e.reduce((s, v) => s + Math.exp(v - max), 0);
      for (let l = 0; l < classes; l++) next[i * classes + l] = Math.exp(e[l] - max) / z;
    }
    return next;
  };
  q = update(() => 0);
  for (let it = 0; it < params.iterations; it++) {
    const sums = new Float64Array(n * classes * 2);
    const norms = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const [ka, ks] = kernels(image, i, j, params);
        norms[i * 2] += ka;
        norms[i * 2 + 1] += ks;
        for (let l = 0; l < classes; l++) {
          sums[(i * classes + l) * 2] += ka * q[j * classes + l];
          sums[(i * classes + l) * 2 + 1] += ks * q[j * classes + l];
        }
      }
    }
    q = update((i, l) => (params.w1 * sums[(i * classes + l) * 2]) / norms[i * 2] + (params.w2 * sums[(i * classes + l) * 2 + 1]) / norms[i * 2 + 1]);
  }
  return q;
}
