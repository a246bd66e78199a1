// The zoom-out levels (thesis §3.3.1, Table 3.4): L1–L5 by stride, H the COCO head, S1 sub-scene, S2 scene.
// Free of tfjs so the UI can list and toggle them.
import type { LevelId } from './backboneManifest.ts';

export const ALL_LEVELS: readonly LevelId[] = ['L1', 'L2', 'L3', 'L4', 'L5', 'H', 'S1', 'S2'];

/**
 * What a head reads unless told otherwise: all but S1, which cost 1.4 mIoU per photo in the benchmark
 * (docs/zoomout.md). S2 is constant within a photo and only matters for heads trained across photos.
 */
export const DEFAULT_LEVELS: readonly LevelId[] = ['L1', 'L2', 'L3', 'L4', 'L5', 'H', 'S2'];

// Thesis Table 3.4: the feature sets of the ablation, each adding the next zoom-out level to the previous one.
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
export function cumulativeLevelSets(available: readonly LevelId[] = ALL_LEVELS): LevelSet[] {
  const ordered = ALL_LEVELS.filter((l) => available.includes(l));
  return ordered.map((_, i) => {
    const levels = ordered.slice(0, i + 1);
    return { label: i === ordered.length - 1 && i > 0 ? `all (${levelSetLabel(levels)})` : levelSetLabel(levels), levels };
  });
}
