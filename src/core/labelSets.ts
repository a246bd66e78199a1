// Label-set presets for the segmentation benchmark of thesis §3.4 (PASCAL VOC, 21 classes incl. background),
// for the COCO-trained backbone's own classes, and for indoor and outdoor layout (NYUv2's 13 classes and six
// outdoor ones, which depth from segmentation reads, thesis §5.5), with the VOC colour palette used by class-index PNGs.
import { hexToRgb } from './hexColor.ts';
import type { LabelSet } from './types.ts';

export type Rgb = readonly [number, number, number];

export const VOC_CLASSES = [
  'background', 'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
  'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor',
] as const;

/** NYUv2's 13 classes (Couprie et al.; label value = index + 1, 0 = unlabelled): indoor layout and furniture. */
export const NYU13_CLASSES = ['bed', 'books', 'ceiling', 'chair', 'floor', 'furniture', 'objects', 'picture', 'sofa', 'table', 'tv', 'wall', 'window'] as const;

/**
 * Outdoor layout and the things that stand on it (thesis §5.5 "layout matters more than objects"): label values
 * 14..19 after NYUv2's 13, so a NYUv2 label map is also a map of these classes.
 */
export const OUTDOOR_CLASSES = ['ground', 'sky', 'building', 'tree', 'person', 'car'] as const;

/** The classes depth from segmentation reads (label value = index + 1, 0 = unlabelled). */
export const DEPTH_CLASSES = [...NYU13_CLASSES, ...OUTDOOR_CLASSES] as const;

/** The 256-entry VOC palette: the bits of the class index interleaved into the high bits of R, G and B. */
export function vocPalette(): Rgb[] {
  const palette: Rgb[] = [];
  for (let i = 0; i < 256; i++) {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let j = 0, c = i; j < 8; j++, c >>= 3) {
      r |= (c & 1) << (7 - j);
      g |= ((c >> 1) & 1) << (7 - j);
      b |= ((c >> 2) & 1) << (7 - j);
    }
    palette.push([r, g, b]);
  }
  return palette;
}

/** '#rrggbb' of a colour, as label sets store it. */
export function rgbHex([r, g, b]: Rgb): string {
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
}

function labelSet(id: string, names: readonly string[]): LabelSet {
  if (names.length > 255) throw new RangeError(`${names.length} classes do not fit an 8-bit class-index PNG (255 = ignore)`);
  const palette = vocPalette();
  return { id, classes: names.map((name, i) => ({ name, color: rgbHex(palette[i]) })) };
}

export function vocLabelSet(): LabelSet {
  return labelSet('voc', VOC_CLASSES);
}

/** Background + the detector's classes (the manifest's `heatmaps.classes`, read by the caller). */
export function cocoLabelSet(names: readonly string[]): LabelSet {
  return labelSet('coco', ['background', ...names]);
}

/** Background + NYUv2's 13 classes, so class index = NYUv2 label value: what depth from segmentation reads. */
export function nyuLabelSet(): LabelSet {
  return labelSet('nyu', ['background', ...NYU13_CLASSES]);
}

/** Background + the outdoor layout classes, for depth from segmentation out of doors. */
export function outdoorLabelSet(): LabelSet {
  return labelSet('outdoor', ['background', ...OUTDOOR_CLASSES]);
}

/**
 * The palette of exported class-index PNGs, the same in the studio and the CLI: the label set's colours by
 * class index, then the VOC palette for the remaining indices up to 255 (ignore). For the VOC preset this is
 * exactly the VOC palette.
 */
export function exportPalette(labels: LabelSet): Rgb[] {
  const palette = vocPalette();
  labels.classes.forEach((c, i) => {
    if (i < palette.length) palette[i] = hexToRgb(c.color);
  });
  return palette;
}
