// A label set's classes read as the depth classes (NYUv2's 13 indoor, six outdoor; core/labelSets.ts), by name
// (core/classMapping.ts), for depth from segmentation (thesis §5.5), whose net knows only those: a class of
// another name counts as unlabelled.
import { classKey } from './classMapping.ts';
import { DEPTH_CLASSES } from './labelSets.ts';
import type { LabelSet } from './types.ts';

/** The layout classes: without one of them a segmentation says too little about depth to be read. */
const LAYOUT = ['floor', 'wall', 'ceiling', 'ground', 'sky'];

/** Label-set index → depth label value (1..19), 0 for classes the depth net lacks and for the ignore label. */
export function depthClassIndexMap(labels: LabelSet): Uint8Array {
  const byKey = new Map(DEPTH_CLASSES.map((name, i) => [classKey(name), i + 1]));
  const map = new Uint8Array(256);
  labels.classes.forEach((c, i) => {
    if (i < 255) map[i] = byKey.get(classKey(c.name)) ?? 0;
  });
  return map;
}

/** Why depth cannot be read from this label set's segmentations, or undefined when it can. */
export function segmentationDepthUnavailable(labels: LabelSet): string | undefined {
  const keys = new Set(labels.classes.map((c) => classKey(c.name)));
  return LAYOUT.some((name) => keys.has(classKey(name))) ? undefined : 'the classes have no layout (floor, wall, ceiling, ground or sky): use the indoor or outdoor preset, or add them';
}

/** A segmentation's classes as depth label values. */
export function toDepthLabels(classes: Uint8Array, indexMap: Uint8Array): Uint8Array {
  const out = new Uint8Array(classes.length);
  for (let i = 0; i < classes.length; i++) out[i] = indexMap[classes[i]];
  return out;
}
