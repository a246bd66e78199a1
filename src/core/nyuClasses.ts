// A label set's classes read as NYUv2's 13 (by name, core/classMapping.ts), for depth from segmentation
// (thesis §5.5), whose net knows only those: a class of another name counts as unlabelled.
import { classKey } from './classMapping.ts';
import { NYU13_CLASSES } from './labelSets.ts';
import type { LabelSet } from './types.ts';

const LAYOUT = ['floor', 'wall', 'ceiling'];

/** Label-set index → NYUv2 label value (1..13), 0 for classes NYUv2 lacks and for the ignore label. */
export function nyuIndexMap(labels: LabelSet): Uint8Array {
  const byKey = new Map(NYU13_CLASSES.map((name, i) => [classKey(name), i + 1]));
  const map = new Uint8Array(256);
  labels.classes.forEach((c, i) => {
    if (i < 255) map[i] = byKey.get(classKey(c.name)) ?? 0;
  });
  return map;
}

/** Why depth cannot be read from this label set's segmentations, or undefined when it can. */
export function segmentationDepthUnavailable(labels: LabelSet): string | undefined {
  const keys = new Set(labels.classes.map((c) => classKey(c.name)));
  return LAYOUT.some((name) => keys.has(classKey(name))) ? undefined : 'the classes have no floor, wall or ceiling: use the indoor (NYUv2) preset or add them';
}

/** A segmentation's classes as NYUv2 label values. */
export function toNyuLabels(classes: Uint8Array, indexMap: Uint8Array): Uint8Array {
  const out = new Uint8Array(classes.length);
  for (let i = 0; i < classes.length; i++) out[i] = indexMap[classes[i]];
  return out;
}
