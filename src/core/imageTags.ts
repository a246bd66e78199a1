// Image-level tags (thesis §4.3.1): which classes each photo contains, the only supervision the localization nets
// get. Read from a JSON object mapping an image's name stem to the names of its classes; names match the label
// set's as classes do everywhere (core/classMapping.ts: "airplane" is VOC's "aeroplane").
import { classKey } from './classMapping.ts';
import type { LabelSet } from './types.ts';

/** Stem → label-set class indices. Background cannot be tagged: it is each class's complement, not a class of its own. */
export function parseImageTags(json: unknown, labelSet: LabelSet, background = 0): Map<string, Set<number>> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('tags must be a JSON object mapping an image stem to a list of class names');
  const byKey = new Map(labelSet.classes.map((c, i) => [classKey(c.name), i]));
  const out = new Map<string, Set<number>>();
  for (const [stem, names] of Object.entries(json as Record<string, unknown>)) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new Error(`tags of '${stem}' must be a list of class names`);
    const tags = new Set<number>();
    for (const name of names as string[]) {
      const c = byKey.get(classKey(name));
      if (c === undefined) throw new Error(`tags of '${stem}': '${name}' is not a ${labelSet.id} class`);
      if (c === background) throw new Error(`tags of '${stem}': background cannot be tagged (it is what no tagged class covers)`);
      tags.add(c);
    }
    out.set(stem, tags);
  }
  return out;
}
