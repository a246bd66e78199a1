import { describe, it, expect } from 'vitest';
import { achievableSegmentationAccuracy, boundaryMap, boundaryRecall, undersegmentationError } from './segmentationMetrics.ts';

// 4×2 image. Ground truth: left half 0, right half 1. Superpixels: a (x=0), b (x=1..2), c (x=3).
//   gt  0 0 1 1     sp  a b b c
//       0 0 1 1         a b b c
const gt = [0, 0, 1, 1, 0, 0, 1, 1];
const sp = [0, 1, 1, 2, 0, 1, 1, 2];

describe('segmentation metrics', () => {
  it('marks pixels whose right or lower neighbour differs', () => {
    expect([...boundaryMap(sp, 4, 2)]).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
  });

  it('undersegmentation error: each overlap counts its smaller side, over N', () => {
    // b straddles the boundary: it overlaps g0 in 2 and g1 in 2 pixels, min(2, 2) for each → 4 of 8.
    expect(undersegmentationError(sp, gt)).toBeCloseTo(4 / 8, 12);
    expect(undersegmentationError(gt, gt)).toBe(0);
  });

  it('achievable segmentation accuracy: majority ground truth per superpixel', () => {
    // a → 2 right, b → 2 of 4, c → 2 right.
    expect(achievableSegmentationAccuracy(sp, gt)).toBeCloseTo(6 / 8, 12);
    expect(achievableSegmentationAccuracy(gt, gt)).toBe(1);
  });

  it('boundary recall counts ground-truth boundary pixels near a superpixel boundary', () => {
    // Ground-truth boundary pixels: x=1 on both rows. Superpixel boundaries at x=0 and x=2 are 1 px away.
    expect(boundaryRecall(sp, gt, 4, 2, 0)).toBe(0);
    expect(boundaryRecall(sp, gt, 4, 2, 1)).toBe(1);
  });

  it('boundary recall tolerance is a square window of radius 2 by default', () => {
    // 8×8; ground truth splits at x=3|4 (boundary pixels x=3); superpixels split at x=5|6 (x=5), 2 px off.
    const width = 8;
    const truth = Array.from({ length: 64 }, (_, p) => (p % width < 4 ? 0 : 1));
    const near = Array.from({ length: 64 }, (_, p) => (p % width < 6 ? 0 : 1));
    const far = Array.from({ length: 64 }, (_, p) => (p % width < 7 ? 0 : 1));
    expect(boundaryRecall(near, truth, 8, 8)).toBe(1);
    expect(boundaryRecall(far, truth, 8, 8)).toBe(0);
  });

  it('boundary recall is 1 when the ground truth has no boundary', () => {
    expect(boundaryRecall(sp, [0, 0, 0, 0, 0, 0, 0, 0], 4, 2)).toBe(1);
  });

  it('a single superpixel over two equal segments counts every pixel as leak', () => {
    const one = [0, 0, 0, 0, 0, 0, 0, 0];
    expect(undersegmentationError(one, gt)).toBeCloseTo(8 / 8, 12);
    expect(achievableSegmentationAccuracy(one, gt)).toBeCloseTo(4 / 8, 12);
  });
});
