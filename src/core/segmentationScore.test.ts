import { describe, expect, it } from 'vitest';
import { ConfusionMatrix, scoringMatrix } from './segmentationScore.ts';

describe('segmentation score', () => {
  it('computes per-class IoU and mIoU over classes present, ignoring 255', () => {
    const cm = new ConfusionMatrix(4);
    // photo 1: gt [0 0 1 1 255], pred [0 1 1 1 3]
    cm.add([0, 0, 1, 1, 255], [0, 1, 1, 1, 3]);
    // photo 2: gt [2 2], pred [2 0]
    cm.add([2, 2], [2, 0]);
    const iou = cm.perClassIoU();
    // class 0: tp 1, gt 2, pred 2 → 1/3; class 1: tp 2, gt 2, pred 3 → 2/3; class 2: tp 1, gt 2, pred 1 → 1/2.
    expect(iou[0]).toBeCloseTo(1 / 3);
    expect(iou[1]).toBeCloseTo(2 / 3);
    expect(iou[2]).toBeCloseTo(1 / 2);
    expect(iou[3]).toBeNaN();
    expect(cm.presentClasses()).toEqual([0, 1, 2]);
    expect(cm.meanIoU()).toBeCloseTo((1 / 3 + 2 / 3 + 1 / 2) / 3);
  });
});

describe('scoringMatrix', () => {
  it('widens to ground-truth classes beyond the label set and ignores 255', () => {
    const truth = Uint8Array.from([0, 15, 15, 255]);
    const m = scoringMatrix(3, [truth]);
    expect(m.classes).toBe(16);
    m.add(truth, Uint8Array.from([0, 15, 0, 2]));
    // class 0: tp 1, union 2 → 0.5; class 15: tp 1, union 2 → 0.5
    expect(m.meanIoU()).toBeCloseTo(0.5);
  });
});
