import { describe, expect, it } from 'vitest';
import { superpixelOracle } from './superpixelOracle.ts';
import { IGNORE_LABEL } from './types.ts';

/** A slow, obviously correct oracle: per-superpixel Maps and a per-class loop. */
function referenceOracle(labels: Int32Array, truth: Uint8Array): number {
  const votes = new Map<number, Map<number, number>>();
  labels.forEach((s, p) => {
    if (truth[p] === IGNORE_LABEL) return;
    const v = votes.get(s) ?? new Map<number, number>();
    v.set(truth[p], (v.get(truth[p]) ?? 0) + 1);
    votes.set(s, v);
  });
  const majority = new Map<number, number>();
  for (const [s, v] of votes) {
    // Ties go to the lower class index, as in the implementation.
    const best = [...v].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
    majority.set(s, best);
  }
  const classes = [...new Set(truth)].filter((c) => c !== IGNORE_LABEL);
  const ious = classes.map((c) => {
    let inter = 0;
    let union = 0;
    truth.forEach((t, p) => {
      if (t === IGNORE_LABEL) return;
      const pred = majority.get(labels[p]);
      if (t === c && pred === c) inter++;
      if (t === c || pred === c) union++;
    });
    return inter / union;
  });
  return ious.reduce((a, b) => a + b, 0) / ious.length;
}

describe('superpixelOracle', () => {
  it('is perfect when superpixels follow the ground truth', () => {
    const labels = Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3]);
    const truth = Uint8Array.from([5, 5, 0, 0, 5, 5, 0, 0]);
    const r = superpixelOracle(labels, 4, truth);
    expect(r.miou).toBe(1);
    expect(r.pixelAccuracy).toBe(1);
    expect([...r.majority]).toEqual([5, 0, 5, 0]);
  });

  it('scores a superpixel straddling two classes by its majority', () => {
    // One superpixel over 3 pixels of class 1 and 1 of class 2: class 1 IoU 3/4, class 2 IoU 0.
    const labels = Int32Array.from([0, 0, 0, 0]);
    const truth = Uint8Array.from([1, 1, 1, 2]);
    const r = superpixelOracle(labels, 1, truth);
    expect(r.iou[1]).toBeCloseTo(0.75);
    expect(r.iou[2]).toBe(0);
    expect(r.miou).toBeCloseTo(0.375);
    expect(r.pixelAccuracy).toBeCloseTo(0.75);
    expect(Number.isNaN(r.iou[3])).toBe(true);
  });

  it('leaves ignored pixels out of the vote and the score', () => {
    const labels = Int32Array.from([0, 0, 0, 1, 1]);
    const truth = Uint8Array.from([IGNORE_LABEL, IGNORE_LABEL, 3, IGNORE_LABEL, IGNORE_LABEL]);
    const r = superpixelOracle(labels, 2, truth);
    expect(r.miou).toBe(1);
    expect(r.majority[0]).toBe(3);
    expect(r.majority[1]).toBe(IGNORE_LABEL);
  });

  it('is NaN when everything is ignored', () => {
    const r = superpixelOracle(Int32Array.from([0, 0]), 1, Uint8Array.from([IGNORE_LABEL, IGNORE_LABEL]));
    expect(Number.isNaN(r.miou)).toBe(true);
  });

  it('matches a brute-force reference on random maps', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 20; trial++) {
      const n = 200;
      const count = 1 + Math.floor(rand() * 30);
      const labels = Int32Array.from({ length: n }, () => Math.floor(rand() * count));
      const truth = Uint8Array.from({ length: n }, () => (rand() < 0.1 ? IGNORE_LABEL : Math.floor(rand() * 4)));
      expect(superpixelOracle(labels, count, truth).miou).toBeCloseTo(referenceOracle(labels, truth), 12);
    }
  });

  it('rejects maps of different sizes', () => {
    expect(() => superpixelOracle(new Int32Array(4), 1, new Uint8Array(3))).toThrow(/differ in size/);
  });
});
