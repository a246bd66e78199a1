// What `train` and `export` share: the label set a head's class indices refer to, `--levels`, and the head file,
// which carries the studio's label set (names, colours) when the studio or `train` wrote it.
import { readFile } from 'node:fs/promises';
import type { LabelClass, LabelSet } from '../../core/types.ts';

/** `--levels L1,L2,...` checked against the zoom-out levels. */
export function parseLevels<L extends string>(value: string | undefined, known: readonly L[]): L[] | undefined {
  if (value === undefined) return undefined;
  const levels = value.split(',').map((s) => s.trim().toUpperCase());
  for (const l of levels) if (!(known as readonly string[]).includes(l)) throw new Error(`unknown level '${l}' (expected ${known.join(', ')})`);
  return levels as L[];
}

/** The `--classes` preset: 'voc', or 'coco' (background + the backbone's detector classes). */
export async function presetLabelSet(name: string, cocoNames: () => readonly string[]): Promise<LabelSet> {
  const { cocoLabelSet, vocLabelSet } = await import('../../core/labelSets.ts');
  if (name === 'voc') return vocLabelSet();
  if (name === 'coco') return cocoLabelSet(cocoNames());
  throw new Error(`--classes must be voc or coco, got '${name}'`);
}

/** A head file's JSON (ml/headIO.ts), with the label set it may carry (`labelClasses`, from the studio and `train`). */
export interface HeadJson {
  mode?: unknown;
  labelSet?: unknown;
  classes?: unknown;
  labelClasses?: unknown;
}

export async function readHeadFile(path: string): Promise<HeadJson> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: not a head file (${(err as Error).message.split('\n')[0]})`);
  }
  if (typeof json !== 'object' || json === null) throw new Error(`${path}: not a head file`);
  return json as HeadJson;
}

function isLabelClasses(v: unknown): v is LabelClass[] {
  return Array.isArray(v) && v.every((c) => typeof c?.name === 'string' && typeof c?.color === 'string' && /^#[0-9a-f]{6}$/i.test(c.color));
}

/**
 * The label set of a head: `--classes` if given, else the classes the head file carries, else the preset its
 * `labelSet` id names. Its size must be the head's class count.
 */
export async function headLabelSet(head: HeadJson, classesFlag: string | undefined, cocoNames: () => readonly string[]): Promise<LabelSet> {
  const id = typeof head.labelSet === 'string' ? head.labelSet : 'voc';
  let labelSet: LabelSet;
  if (classesFlag !== undefined) labelSet = await presetLabelSet(classesFlag, cocoNames);
  else if (isLabelClasses(head.labelClasses)) labelSet = { id, classes: head.labelClasses };
  else if (id === 'voc' || id === 'coco') labelSet = await presetLabelSet(id, cocoNames);
  else throw new Error(`the head's label set '${id}' is not a preset and the file does not name its classes: give --classes voc|coco`);
  if (labelSet.classes.length !== head.classes) {
    throw new Error(`the head predicts ${String(head.classes)} classes, label set '${labelSet.id}' has ${labelSet.classes.length}`);
  }
  return labelSet;
}
