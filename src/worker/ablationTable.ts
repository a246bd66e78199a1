// Thesis Table 3.4: the feature sets of the ablation, each adding the next zoom-out level to the previous
// one, and the pooled mIoU every row is scored with. Pure, so the rows can be tested without tfjs.
import { ConfusionMatrix } from '../core/segmentationScore.ts';
import { IGNORE_LABEL } from '../core/types.ts';
import type { LevelId } from '../ml/backboneManifest.ts';

export const ABLATION_ORDER: readonly LevelId[] = ['L1', 'L2', 'L3', 'L4', 'L5', 'H', 'S1', 'S2'];

export interface LevelSet {
  label: string;
  levels: LevelId[];
}

/** "L1", "L1–3", "L1–5+H+S1": a run of conv levels as a range, the rest appended with "+". */
export function levelSetLabel(levels: readonly LevelId[]): string {
  const conv = levels.filter((l) => /^L\d$/.test(l)).map((l) => Number(l.slice(1)));
  const rest = levels.filter((l) => !/^L\d$/.test(l));
  const contiguous = conv.every((n, i) => i === 0 || n === conv[i - 1] + 1);
  const head = conv.length === 0 ? [] : conv.length === 1 ? [`L${conv[0]}`] : contiguous ? [`L${conv[0]}–${conv[conv.length - 1]}`] : conv.map((n) => `L${n}`);
  return [...head, ...rest].join('+');
}

/** Cumulative prefixes of `available` in ablation order: one row per level added, the last row is all of them. */
export function cumulativeLevelSets(available: readonly LevelId[] = ABLATION_ORDER): LevelSet[] {
  const ordered = ABLATION_ORDER.filter((l) => available.includes(l));
  return ordered.map((_, i) => {
    const levels = ordered.slice(0, i + 1);
    return { label: i === ordered.length - 1 && i > 0 ? `all (${levelSetLabel(levels)})` : levelSetLabel(levels), levels };
  });
}

/**
 * A confusion matrix wide enough for the label set and every class of the ground truth (a mask may use VOC
 * indices the studio's classes don't have; those still count, as misses).
 */
export function scoringMatrix(classes: number, truths: readonly Uint8Array[]): ConfusionMatrix {
  let k = classes;
  for (const t of truths) for (let i = 0; i < t.length; i++) if (t[i] !== IGNORE_LABEL && t[i] >= k) k = t[i] + 1;
  return new ConfusionMatrix(k);
}
