// Mean class IoU, the VOC measure the thesis reports (§3.4): one confusion matrix accumulated over all
// photos, IoU per class, mean over the classes present in the ground truth.
import { IGNORE_LABEL } from './types.ts';

export class ConfusionMatrix {
  /** counts[gt * classes + predicted] */
  readonly counts: Float64Array;

  constructor(readonly classes: number) {
    this.counts = new Float64Array(classes * classes);
  }

  /** Adds one photo; ground-truth pixels equal to 255 are ignored. */
  add(groundTruth: ArrayLike<number>, predicted: ArrayLike<number>): this {
    if (groundTruth.length !== predicted.length) throw new RangeError('ground truth and prediction differ in size');
    const k = this.classes;
    for (let i = 0; i < groundTruth.length; i++) {
      const g = groundTruth[i];
      if (g === IGNORE_LABEL) continue;
      const p = predicted[i];
      if (g >= k || p >= k) throw new RangeError(`class index ${Math.max(g, p)} outside 0..${k - 1}`);
      this.counts[g * k + p]++;
    }
    return this;
  }

  /** IoU per class; NaN for a class absent from both ground truth and prediction. */
  perClassIoU(): Float64Array {
    const k = this.classes;
    const iou = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let row = 0;
      let col = 0;
      for (let j = 0; j < k; j++) {
        row += this.counts[c * k + j];
        col += this.counts[j * k + c];
      }
      const tp = this.counts[c * k + c];
      const union = row + col - tp;
      iou[c] = union > 0 ? tp / union : NaN;
    }
    return iou;
  }

  /** Classes with at least one ground-truth pixel. */
  presentClasses(): number[] {
    const k = this.classes;
    const present: number[] = [];
    for (let c = 0; c < k; c++) {
      let row = 0;
      for (let j = 0; j < k; j++) row += this.counts[c * k + j];
      if (row > 0) present.push(c);
    }
    return present;
  }

  /** Fraction of scored pixels predicted right; NaN when nothing was scored. */
  pixelAccuracy(): number {
    const k = this.classes;
    let total = 0;
    let right = 0;
    for (let i = 0; i < this.counts.length; i++) total += this.counts[i];
    for (let c = 0; c < k; c++) right += this.counts[c * k + c];
    return total > 0 ? right / total : NaN;
  }

  /** Mean IoU over the classes present in the ground truth, in 0..1. */
  meanIoU(): number {
    const iou = this.perClassIoU();
    const present = this.presentClasses();
    return present.length ? present.reduce((s, c) => s + iou[c], 0) / present.length : NaN;
  }
}

/**
 * A confusion matrix wide enough for the label set and every class of the ground truth (a mask may use VOC
 * indices the studio's classes don't have; those still count, as misses).
 */
export function scoringMatrix(classes: number, truths: readonly Uint8Array[], predictions: readonly Uint8Array[] = []): ConfusionMatrix {
  let k = classes;
  for (const t of truths) for (let i = 0; i < t.length; i++) if (t[i] !== IGNORE_LABEL && t[i] >= k) k = t[i] + 1;
  // A prediction may be unlabelled (IGNORE_LABEL, e.g. a class removed by a preset switch): it counts as a miss.
  for (const p of predictions) for (let i = 0; i < p.length; i++) if (p[i] >= k) k = p[i] + 1;
  return new ConfusionMatrix(k);
}
