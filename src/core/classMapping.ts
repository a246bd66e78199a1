// Classes are identities, not indices: switching label sets (VOC ↔ COCO ↔ custom) maps every class by its
// name to the class of the same name in the new set, so strokes, ground truth and exports keep their meaning.
// Pure: the state layer applies the resulting index map to strokes, ground-truth masks and segmentations.
import type { Stroke } from './strokes.ts';
import { IGNORE_LABEL, type LabelSet } from './types.ts';

/**
 * Names that denote the same class in different label sets, first the VOC spelling, then the others
 * (COCO's). Matching is also case-insensitive and ignores spaces, hyphens and underscores.
 */
export const CLASS_ALIASES: readonly (readonly string[])[] = [
  ['aeroplane', 'airplane'],
  ['motorbike', 'motorcycle'],
  ['sofa', 'couch'],
  ['tvmonitor', 'tv'],
  ['diningtable', 'dining table'],
  ['pottedplant', 'potted plant'],
];

const normalize = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

const canonical = new Map<string, string>();
for (const group of CLASS_ALIASES) for (const name of group) canonical.set(normalize(name), normalize(group[0]));

/** The identity of a class name: equal for the same class under any preset's spelling. */
export function classKey(name: string): string {
  const n = normalize(name);
  return canonical.get(n) ?? n;
}

export interface ClassMapping {
  /** The new set, followed by the kept classes that have no counterpart in it (same name and colour). */
  labelSet: LabelSet;
  /** Old class index → new class index, 256 entries; IGNORE_LABEL (255) stays 255, and so does any old index without a kept class. */
  indexMap: Uint8Array;
  /** Names of the old classes appended to the new set. */
  appended: string[];
}

/**
 * Maps the classes of `from` onto `to` by name (CLASS_ALIASES). An old class without a counterpart is appended
 * to the new set when `keep(oldIndex)` says so (by default always); otherwise its index maps to IGNORE_LABEL.
 * The merged set is `to`'s id when nothing was appended, 'custom' otherwise. Throws a RangeError when the merged
 * set would not fit an 8-bit class-index PNG (255 classes at most, 255 = ignore).
 */
export function mapLabelSet(from: LabelSet, to: LabelSet, keep: (oldIndex: number) => boolean = () => true): ClassMapping {
  const byKey = new Map<string, number>();
  to.classes.forEach((c, i) => {
    const k = classKey(c.name);
    if (!byKey.has(k)) byKey.set(k, i);
  });
  const classes = [...to.classes];
  const appended: string[] = [];
  const indexMap = new Uint8Array(256).fill(IGNORE_LABEL);
  from.classes.forEach((c, i) => {
    if (i >= IGNORE_LABEL) return;
    const k = classKey(c.name);
    let target = byKey.get(k);
    if (target === undefined) {
      if (!keep(i)) return;
      target = classes.length;
      classes.push({ ...c });
      appended.push(c.name);
      byKey.set(k, target);
    }
    indexMap[i] = target;
  });
  if (classes.length > IGNORE_LABEL) {
    throw new RangeError(`${classes.length} classes (${to.classes.length} + ${appended.length} kept) do not fit an 8-bit class-index PNG (255 = ignore)`);
  }
  return { labelSet: { id: appended.length ? 'custom' : to.id, classes }, indexMap, appended };
}

/** The way back: new index → the first old index that maps to it; IGNORE_LABEL for new classes nothing maps to. */
export function invertIndexMap(indexMap: Uint8Array): Uint8Array {
  const back = new Uint8Array(256).fill(IGNORE_LABEL);
  for (let old = 0; old < IGNORE_LABEL; old++) {
    const n = indexMap[old];
    if (n !== IGNORE_LABEL && back[n] === IGNORE_LABEL) back[n] = old;
  }
  return back;
}

/** True when the map changes no index (the switch only renamed or recoloured). */
export function isIdentityMap(indexMap: Uint8Array, classCount: number): boolean {
  for (let i = 0; i < classCount; i++) if (indexMap[i] !== i) return false;
  return true;
}

/** The strokes with their classes mapped; eraser strokes (ERASE = 255) stay erasers. The same array when nothing changes. */
export function remapStrokes(strokes: readonly Stroke[], indexMap: Uint8Array): Stroke[] {
  let changed = false;
  const out = strokes.map((s) => {
    const classIndex = indexMap[s.classIndex] ?? IGNORE_LABEL;
    if (classIndex === s.classIndex) return s;
    changed = true;
    return { ...s, classIndex };
  });
  return changed ? out : (strokes as Stroke[]);
}

/** A class-index map (ground truth, segmentation) with every value mapped; 255 (ignore) stays 255. */
export function remapClassMap(classes: Uint8Array, indexMap: Uint8Array): Uint8Array {
  const out = new Uint8Array(classes.length);
  for (let i = 0; i < classes.length; i++) out[i] = indexMap[classes[i]];
  return out;
}

/** The class indices that occur in `classes`, ascending, without IGNORE_LABEL. */
export function presentClasses(classes: Uint8Array): number[] {
  const seen = new Uint8Array(256);
  for (let i = 0; i < classes.length; i++) seen[classes[i]] = 1;
  return [...seen.keys()].filter((c) => seen[c] && c !== IGNORE_LABEL);
}
