import { describe, expect, it } from 'vitest';
import { scorePairs } from './metrics.ts';

describe('scorePairs', () => {
  it('pools every photo in one confusion matrix (hand-computed)', () => {
    // Photo A (4 px): truth 0 0 1 1, predicted 0 1 1 1.
    // Photo B (4 px): truth 1 2 255 0, predicted 1 0 2 0 (the 255 pixel is ignored).
    // Pooled counts [truth][pred]: 0→0: 2, 0→1: 1, 1→1: 3, 2→0: 1.
    // IoU 0: tp 2 / (row 3 + col 3 − 2) = 2/4; IoU 1: 3 / (3 + 4 − 3) = 3/4; IoU 2: 0 / (1 + 0 − 0) = 0.
    // mIoU over present classes 0,1,2 = (0.5 + 0.75 + 0) / 3; pixel accuracy = 5 / 7.
    const m = scorePairs(
      [
        { truth: Uint8Array.of(0, 0, 1, 1), predicted: Uint8Array.of(0, 1, 1, 1) },
        { truth: Uint8Array.of(1, 2, 255, 0), predicted: Uint8Array.of(1, 0, 2, 0) },
      ],
      ['background', 'cat', 'dog'],
    )!;
    expect(m.photos).toBe(2);
    expect(m.classes.map((c) => [c.name, c.iou, c.present])).toEqual([
      ['background', 0.5, true],
      ['cat', 0.75, true],
      ['dog', 0, true],
    ]);
    expect(m.meanIoU).toBeCloseTo(1.25 / 3, 12);
    expect(m.pixelAccuracy).toBeCloseTo(5 / 7, 12);
  });

  it('counts ground-truth classes the label set lacks, and predicted-only classes outside the mean', () => {
    // truth 0 0 5 5, predicted 0 1 0 0 with two names: class 5 widens the matrix and is named by its index.
    // IoU 0: 1 / (2 + 3 − 1) = 1/4; IoU 1 (predicted only): 0; IoU 5: 0. mIoU over {0, 5} = 1/8; accuracy 1/4.
    const m = scorePairs([{ truth: Uint8Array.of(0, 0, 5, 5), predicted: Uint8Array.of(0, 1, 0, 0) }], ['background', 'cat'])!;
    expect(m.classes.map((c) => [c.index, c.name, c.iou, c.present])).toEqual([
      [0, 'background', 0.25, true],
      [1, 'cat', 0, false],
      [5, 'class 5', 0, true],
    ]);
    expect(m.meanIoU).toBeCloseTo(0.125, 12);
    expect(m.pixelAccuracy).toBeCloseTo(0.25, 12);
  });

  it('counts an unlabelled prediction (255, e.g. after a preset switch) as a miss instead of failing', () => {
    // truth 0,0,1,1; predicted 0,255,1,255: class 0 IoU 1/2, class 1 IoU 1/2, accuracy 2/4.
    const m = scorePairs([{ truth: Uint8Array.of(0, 0, 1, 1), predicted: Uint8Array.of(0, 255, 1, 255) }], ['background', 'cat'])!;
    expect(m.classes.map((c) => [c.index, c.iou])).toEqual([
      [0, 0.5],
      [1, 0.5],
    ]);
    expect(m.meanIoU).toBeCloseTo(0.5, 12);
    expect(m.pixelAccuracy).toBeCloseTo(0.5, 12);
  });

  it('has nothing to say without pairs', () => {
    expect(scorePairs([], ['background'])).toBeUndefined();
  });
});
