// The "oracle" of thesis §3.4.2 / Table 3.3: label every superpixel with the majority ground-truth class of
// its pixels and score the result. It bounds what any superpixel classifier can reach on this photo, so it
// tells how much accuracy the over-segmentation itself costs (94.4 mIoU for SLIC-500 on VOC 2012 val).
import { majorityVote } from './majorityVote.ts';
import { paintSuperpixels } from './scribbles.ts';
import { ConfusionMatrix } from './segmentationScore.ts';
import { IGNORE_LABEL } from './types.ts';

export interface OracleResult {
  /** Mean IoU over the classes present in the ground truth, 0..1; NaN when every pixel is ignored. */
  miou: number;
  /** IoU per class index 0..255 (NaN for classes absent from the ground truth). */
  iou: Float64Array;
  /** Fraction of non-ignored pixels the oracle labels correctly. */
  pixelAccuracy: number;
  /** Majority class per superpixel (IGNORE_LABEL where every pixel of it is ignored). */
  majority: Uint8Array;
}

/**
 * `labels`: superpixel index per pixel (0..count-1); `truth`: class index per pixel, same size, with
 * IGNORE_LABEL pixels left out of both the vote and the score (VOC convention).
 */
export function superpixelOracle(labels: Int32Array, count: number, truth: Uint8Array): OracleResult {
  if (labels.length !== truth.length) throw new RangeError(`superpixels (${labels.length} px) and ground truth (${truth.length} px) differ in size`);
  const majority = Uint8Array.from(majorityVote(labels, count, truth), (c) => (c < 0 ? IGNORE_LABEL : c));
  const matrix = new ConfusionMatrix(256).add(truth, paintSuperpixels({ width: labels.length, height: 1, labels }, majority));
  const present = new Set(matrix.presentClasses());
  const iou = matrix.perClassIoU().map((v, c) => (present.has(c) ? v : NaN));
  return { miou: matrix.meanIoU(), iou, pixelAccuracy: matrix.pixelAccuracy(), majority };
}
