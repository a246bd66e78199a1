// The permutohedral lattice against exact O(N²) Gaussian sums on real BSDS500 crops, with the dense CRF's kernels.
import { describe, expect, it } from 'vitest';
import { crfCrop } from './crfTestCrops.ts';
import { exactGaussianFilter } from './denseCrfReference.ts';
import { PermutohedralLattice } from './permutohedralLattice.ts';
import { seededRandom } from './clickProtocol.ts';

/** Pixel features as the CRF builds them: position / θ, and colour / θβ when given. */
function features(image: { width: number; height: number; data: Uint8Array }, theta: number, thetaColour?: number): { f: Float32Array; d: number } {
  const d = thetaColour ? 5 : 2;
  const n = image.width * image.height;
  const f = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    f[i * d] = (i % image.width) / theta;
    f[i * d + 1] = Math.floor(i / image.width) / theta;
    if (thetaColour) for (let c = 0; c < 3; c++) f[i * d + 2 + c] = image.data[i * 4 + c] / thetaColour;
  }
  return { f, d };
}

describe('PermutohedralLattice', () => {
  // (θ position, θ colour): the CRF's smoothness kernel, its appearance kernel at crop scale, and a wide one.
  const kernels: [number, number | undefined][] = [
    [3, undefined],
    [5, 10],
    [10, 20],
    [60, 13],
  ];
  for (const stem of ['100007', '100099', '101027']) {
    for (const [theta, thetaColour] of kernels) {
      it(`normalized filtering approximates exact Gaussian averaging (${stem}, θ ${theta}, θβ ${thetaColour ?? '—'})`, async () => {
        const image = await crfCrop(stem);
        const { f, d } = features(image, theta, thetaColour);
        const n = image.width * image.height;
        const random = seededRandom(7);
        const values = Float32Array.from({ length: n * 2 }, () => random());
        const lattice = new PermutohedralLattice(f, d);
        expect(lattice.vertices).toBeGreaterThan(0);
        const approx = lattice.filter(values, 2);
        const norm = lattice.filter(new Float32Array(n).fill(1), 1);
        const exact = exactGaussianFilter(f, d, values, 2);
        const exactNorm = exactGaussianFilter(f, d, new Float32Array(n).fill(1), 1);
        // The lattice's gain (output / exact sum) is not 1 and varies from pixel to pixel (0.28–0.91 here: the
        // simplex interpolation loses mass where points are sparse in feature space), so the CRF divides by the
        // filtered ones; the normalized value, a weighted mean of values in [0, 1], is what must be right.
        // Measured on three crops: mean absolute error ≤ 0.006, worst pixel ≤ 0.10 (narrow kernels are worst).
        let sum = 0;
        let worst = 0;
        for (let i = 0; i < n; i++) {
          for (let c = 0; c < 2; c++) {
            const error = Math.abs(approx[i * 2 + c] / norm[i] - exact[i * 2 + c] / exactNorm[i]);
            sum += error;
            worst = Math.max(worst, error);
          }
        }
        expect(sum / (2 * n)).toBeLessThan(0.01);
        expect(worst).toBeLessThan(0.15);
        const gains = Array.from({ length: n }, (_, i) => norm[i] / exactNorm[i]);
        expect(Math.min(...gains)).toBeGreaterThan(0.25);
        expect(Math.max(...gains)).toBeLessThan(1);
      });
    }
  }

  it('filters the first `count` channels only, a lone channel exactly as within a block, six channels as two blocks', async () => {
    const image = await crfCrop('100099');
    const { f, d } = features(image, 10, 20);
    const n = image.width * image.height;
    const random = seededRandom(9);
    const six = Float32Array.from({ length: n * 6 }, () => random());
    const lattice = new PermutohedralLattice(f, d);
    const all = lattice.filter(six, 6);
    const firstTwo = lattice.filter(six, 6, new Float32Array(n * 6).fill(-1), 2);
    const lone = lattice.filter(Float32Array.from({ length: n }, (_, i) => six[i * 6]), 1);
    for (let i = 0; i < n; i++) {
      expect(firstTwo[i * 6]).toBeCloseTo(all[i * 6], 5);
      expect(firstTwo[i * 6 + 1]).toBeCloseTo(all[i * 6 + 1], 5);
      expect(firstTwo[i * 6 + 2]).toBe(-1);
      expect(lone[i]).toBeCloseTo(all[i * 6], 5);
    }
    const exact = exactGaussianFilter(f, d, six, 6);
    const norm = exactGaussianFilter(f, d, new Float32Array(n).fill(1), 1);
    const approxNorm = lattice.filter(new Float32Array(n).fill(1), 1);
    for (let i = 0; i < n; i++) for (let c = 0; c < 6; c++) expect(Math.abs(all[i * 6 + c] / approxNorm[i] - exact[i * 6 + c] / norm[i])).toBeLessThan(0.15);
  });

  it('a constant signal stays constant after normalization, and far-apart points do not mix', () => {
    const f = new Float32Array([0, 0, 0.1, 0, 100, 100, 100.1, 100]);
    const lattice = new PermutohedralLattice(f, 2);
    const values = new Float32Array([1, 1, 5, 5]);
    const out = lattice.filter(values, 1);
    const norm = lattice.filter(new Float32Array(4).fill(1), 1);
    expect(out[0] / norm[0]).toBeCloseTo(1, 5);
    expect(out[2] / norm[2]).toBeCloseTo(5, 5);
  });
});
