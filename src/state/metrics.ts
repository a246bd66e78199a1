// Set-wide scores against ground truth: over every open photo that has both a ground-truth mask and a
// segmentation (same working size), one pooled confusion matrix (VOC style, thesis §3.4) → IoU per class,
// mean IoU over the classes present in the ground truth, and pixel accuracy.
import { scoringMatrix } from '../core/segmentationScore.ts';
import { IGNORE_LABEL } from '../core/types.ts';
import { segmentationPixels } from './segmentationPixels.ts';
import type { StudioState } from './studioStore.ts';

export interface ScoredPair {
  /** Class per pixel, 255 = ignore. */
  truth: Uint8Array;
  /** Predicted class per pixel, same length. */
  predicted: Uint8Array;
}

export interface ClassScore {
  index: number;
  name: string;
  /** IoU in 0..1. */
  iou: number;
  /** Whether the class occurs in the ground truth (only those count in the mean). */
  present: boolean;
}

export interface SetMetrics {
  /** Photos scored. */
  photos: number;
  /** Classes in the ground truth or the prediction, ascending. */
  classes: ClassScore[];
  meanIoU: number;
  pixelAccuracy: number;
}

/** Scores the pairs pooled in one confusion matrix; undefined when there is nothing to score. */
export function scorePairs(pairs: readonly ScoredPair[], classNames: readonly string[]): SetMetrics | undefined {
  if (pairs.length === 0) return undefined;
  const matrix = scoringMatrix(
    classNames.length,
    pairs.map((p) => p.truth),
    pairs.map((p) => p.predicted),
  );
  for (const { truth, predicted } of pairs) matrix.add(truth, predicted);
  const iou = matrix.perClassIoU();
  const present = new Set(matrix.presentClasses());
  const classes: ClassScore[] = [];
  for (let c = 0; c < iou.length; c++) {
    if (Number.isNaN(iou[c]) || c === IGNORE_LABEL) continue;
    classes.push({ index: c, name: classNames[c] ?? `class ${c}`, iou: iou[c], present: present.has(c) });
  }
  return { photos: pairs.length, classes, meanIoU: matrix.meanIoU(), pixelAccuracy: matrix.pixelAccuracy() };
}

export type MetricsState = Pick<StudioState, 'photos' | 'groundTruth' | 'segmentations' | 'superpixels' | 'crf' | 'refinements' | 'labelSet'>;

/** The open photos' (ground truth, segmentation) pairs of the same working size, in the strip's order. */
export function scoredPairs(s: Omit<MetricsState, 'labelSet'>): ScoredPair[] {
  const pairs: ScoredPair[] = [];
  for (const photo of s.photos) {
    const truth = s.groundTruth[photo.id];
    if (!truth) continue;
    const seg = segmentationPixels(s, photo.id);
    if (!seg || seg.width !== truth.width || seg.height !== truth.height) continue;
    pairs.push({ truth: truth.classes, predicted: seg.classes });
  }
  return pairs;
}

/** The set's scores now; undefined when no photo has both ground truth and a segmentation. */
export function setMetrics(s: MetricsState): SetMetrics | undefined {
  return scorePairs(
    scoredPairs(s),
    s.labelSet.classes.map((c) => c.name),
  );
}
