// PASCAL VOC / CVAT "Segmentation mask 1.1" side files (docs/exports.md): the labelmap.txt that names each colour of
// the class PNGs, and one binary mask per class present in a photo.
//
// - labelmap.txt: the header `# label:color_rgb:parts:actions`, then `name:r,g,b::` for every class of the label set
//   in class-index order, each with its own colour — the one the studio's class-index PNGs give that index — so a
//   colour always means the same class whichever classes a photo or a project happened to label first. For the VOC
//   preset these are the VOC devkit's colours. IGNORE_LABEL (255) has no line: VOC tools read it as "void".
// - Per-class masks: 8-bit grayscale PNGs, 255 where the pixel is of the class and 0 elsewhere, one per class present
//   (background included, ignore not), so the class map is the class whose mask is set, and IGNORE_LABEL where none is.
import { encode } from 'fast-png';
import { hexToRgb } from './hexColor.ts';
import { IGNORE_LABEL, type LabelSet } from './types.ts';

export const LABELMAP_HEADER = '# label:color_rgb:parts:actions';

/** CVAT / VOC labelmap.txt of a label set: colours by class index. */
export function labelmapTxt(labelSet: LabelSet): string {
  const seen = new Map<string, string>();
  const lines = [LABELMAP_HEADER];
  for (const c of labelSet.classes) {
    if (/[:\r\n]/.test(c.name)) throw new RangeError(`class name ${JSON.stringify(c.name)} cannot be written to a labelmap (':' or a line break)`);
    const rgb = hexToRgb(c.color).join(',');
    const other = seen.get(rgb);
    if (other !== undefined) throw new RangeError(`classes '${other}' and '${c.name}' share the colour ${rgb}: a labelmap needs one colour per class`);
    seen.set(rgb, c.name);
    lines.push(`${c.name}:${rgb}::`);
  }
  return lines.join('\n') + '\n';
}

export interface ClassMaskPng {
  classIndex: number;
  name: string;
  /** Grayscale 8-bit PNG: 255 = this class, 0 = not. */
  png: Uint8Array;
}

/** One binary PNG per class present (background included, IGNORE_LABEL not), in class-index order. */
export function perClassMasks(classes: Uint8Array, width: number, height: number, labelSet: LabelSet): ClassMaskPng[] {
  if (classes.length !== width * height) throw new RangeError(`${classes.length} class values for ${width}×${height} pixels`);
  const present = new Uint8Array(256);
  for (let i = 0; i < classes.length; i++) present[classes[i]] = 1;
  const out: ClassMaskPng[] = [];
  for (let c = 0; c < 256; c++) {
    if (!present[c] || c === IGNORE_LABEL) continue;
    if (c >= labelSet.classes.length) throw new RangeError(`class ${c} is not in label set '${labelSet.id}'`);
    const data = new Uint8Array(classes.length);
    for (let i = 0; i < classes.length; i++) if (classes[i] === c) data[i] = 255;
    out.push({ classIndex: c, name: labelSet.classes[c].name, png: encode({ width, height, data, depth: 8, channels: 1 }) });
  }
  return out;
}
