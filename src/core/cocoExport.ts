// COCO JSON export of class maps (docs/exports.md): one annotation per class per photo, or per connected region,
// each a compressed RLE mask as pycocotools writes it (cocoRle.ts).
//
// Choices, each for a reader's sake:
// - Categories: id = the class's index in the label set, so ids match the studio's class-index PNGs and YOLO class
//   ids; class 0 (background, in every preset) and IGNORE_LABEL (255) are no category, and their pixels belong to no
//   annotation. Every class of the label set except background is listed, present or not.
// - `iscrowd: 0` on every annotation although the segmentation is RLE. In COCO ground truth `iscrowd` does not
//   name the encoding (pycocotools' annToRLE, detectron2 and mmdetection read RLE for either value); it tells the
//   evaluator how to score: a crowd region is excluded from recall and swallows any detections on it without
//   counting them as false positives. Every region exported here is a real labelled object or class region that
//   must be found, so 0 — as COCO-Stuff's per-class RLE annotations do too. (The COCO convention "RLE ⇔ crowd"
//   describes how COCO's own crowds were stored, not a rule readers enforce.)
// - 'per-class' (default): one annotation per class present in a photo, all its pixels, however many pieces —
//   the semantic-segmentation reading, as COCO-Stuff. 'connected': one annotation per 8-connected region of one
//   class (pixels touching by an edge or a corner), the reading of OpenCV's connectedComponents and
//   scipy.ndimage.label with a full structure; 8 rather than 4 so a thin diagonal structure (a pole, a leg,
//   a nearest-neighbour-resized edge) stays one object. Regions are kept whatever their size, so the export is
//   lossless: decoding every annotation gives back the class map.
// - `area` is the pixel count and `bbox` pycocotools' toBbox of the mask, as pycocotools computes them.
// - Annotation ids run from 1 (0 reads as "none" in some tools), in image order, then class index, then (connected)
//   the region's first pixel in row-major order.
import { rleArea, rleBbox, rleToString, type CocoBbox, type CompressedCocoRle } from './cocoRle.ts';
import { IGNORE_LABEL, type LabelSet } from './types.ts';

/** The class no category is made for, as in every label-set preset (index 0 = 'background'). */
export const BACKGROUND_CLASS = 0;

export interface ExportImage {
  id: number;
  fileName: string;
  width: number;
  height: number;
  /** Class index per pixel at the photo's original size, row-major; IGNORE_LABEL for unlabelled pixels. */
  classes: Uint8Array;
}

export type CocoInstances = 'per-class' | 'connected';

export interface CocoExportOptions {
  /** 'per-class' (default): one annotation per class per photo; 'connected': one per 8-connected region. */
  instances?: CocoInstances;
}

export interface CocoCategory {
  id: number;
  name: string;
}

export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: CompressedCocoRle;
  area: number;
  bbox: CocoBbox;
  iscrowd: 0;
}

export interface CocoJson {
  info: { description: string };
  licenses: never[];
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}

export function toCocoJson(images: readonly ExportImage[], labelSet: LabelSet, options: CocoExportOptions = {}): CocoJson {
  const instances = options.instances ?? 'per-class';
  if (instances !== 'per-class' && instances !== 'connected') throw new RangeError(`unknown instances mode '${String(instances)}'`);
  const classCount = labelSet.classes.length;
  const categories: CocoCategory[] = [];
  labelSet.classes.forEach((c, i) => {
    if (i !== BACKGROUND_CLASS && i !== IGNORE_LABEL) categories.push({ id: i, name: c.name });
  });
  const seen = new Set<number>();
  const annotations: CocoAnnotation[] = [];
  const cocoImages: CocoImage[] = [];
  for (const image of images) {
    const { id, width, height, classes } = image;
    if (seen.has(id)) throw new RangeError(`image id ${id} is used twice`);
    seen.add(id);
    if (classes.length !== width * height) {
      throw new RangeError(`image ${id}: ${classes.length} class values for ${width}×${height} pixels`);
    }
    for (let i = 0; i < classes.length; i++) {
      const c = classes[i];
      if (c >= classCount && c !== IGNORE_LABEL) throw new RangeError(`image ${id}: class ${c} at pixel ${i} is not in label set '${labelSet.id}'`);
    }
    cocoImages.push({ id, file_name: image.fileName, width, height });
    const regions = instances === 'per-class' ? classRegions(classes) : connectedRegions(classes, width, height);
    const runs = encodeRegions(regions.keys, width, height, regions.classOf.length);
    for (let k = 0; k < runs.length; k++) {
      const rle = { size: [height, width] as [number, number], counts: runs[k] };
      annotations.push({
        id: annotations.length + 1,
        image_id: id,
        category_id: regions.classOf[k],
        segmentation: { size: rle.size, counts: rleToString(rle.counts) },
        area: rleArea(rle),
        bbox: rleBbox(rle),
        iscrowd: 0,
      });
    }
  }
  return { info: { description: 'Zoom-out Studio export' }, licenses: [], images: cocoImages, annotations, categories };
}

interface Regions {
  /** Region per pixel, row-major, -1 for none; regions numbered in annotation order. */
  keys: Int32Array;
  /** Class of each region. */
  classOf: number[];
}

function exported(c: number): boolean {
  return c !== BACKGROUND_CLASS && c !== IGNORE_LABEL;
}

/** One region per class present, in class order. */
function classRegions(classes: Uint8Array): Regions {
  const present = new Uint8Array(256);
  for (let i = 0; i < classes.length; i++) present[classes[i]] = 1;
  const keyOf = new Int32Array(256).fill(-1);
  const classOf: number[] = [];
  for (let c = 0; c < 256; c++) {
    if (present[c] && exported(c)) {
      keyOf[c] = classOf.length;
      classOf.push(c);
    }
  }
  const keys = new Int32Array(classes.length);
  for (let i = 0; i < classes.length; i++) keys[i] = keyOf[classes[i]];
  return { keys, classOf };
}

/** 8-connected regions of one class each, numbered by class, then by first pixel in row-major order. */
function connectedRegions(classes: Uint8Array, width: number, height: number): Regions {
  const component = new Int32Array(classes.length).fill(-1);
  const componentClass: number[] = [];
  const stack = new Int32Array(classes.length);
  for (let start = 0; start < classes.length; start++) {
    const c = classes[start];
    if (component[start] !== -1 || !exported(c)) continue;
    const label = componentClass.length;
    componentClass.push(c);
    component[start] = label;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top];
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (component[q] === -1 && classes[q] === c) {
            component[q] = label;
            stack[top++] = q;
          }
        }
      }
    }
  }
  // Renumber class by class (stable within a class: first pixel order).
  const order = componentClass.map((_, i) => i).sort((a, b) => componentClass[a] - componentClass[b] || a - b);
  const rank = new Int32Array(order.length);
  order.forEach((old, i) => (rank[old] = i));
  for (let i = 0; i < component.length; i++) if (component[i] !== -1) component[i] = rank[component[i]];
  return { keys: component, classOf: order.map((old) => componentClass[old]) };
}

/**
 * pycocotools' run lengths of every region's mask at once, in one column-major pass: for each region, runs of 0s and
 * 1s alternating from a run of 0s, exactly as `encodeRle` of that region's own 0/1 mask gives them.
 */
function encodeRegions(keys: Int32Array, width: number, height: number, count: number): number[][] {
  const total = width * height;
  const counts: number[][] = Array.from({ length: count }, () => []);
  const runStart = new Float64Array(count).fill(-1); // start of the open run of 1s, -1 before the first
  const runEnd = new Float64Array(count); // end (exclusive) of the last run of 1s, 0 before the first
  let p = 0;
  for (let x = 0; x < width; x++) {
    for (let i = x; i < total; i += width, p++) {
      const k = keys[i];
      if (k < 0) continue;
      if (runStart[k] >= 0 && runEnd[k] === p) {
        runEnd[k] = p + 1;
        continue;
      }
      if (runStart[k] >= 0) counts[k].push(runEnd[k] - runStart[k]);
      counts[k].push(p - runEnd[k]);
      runStart[k] = p;
      runEnd[k] = p + 1;
    }
  }
  for (let k = 0; k < count; k++) {
    if (runStart[k] < 0) continue;
    counts[k].push(runEnd[k] - runStart[k]);
    if (runEnd[k] < total) counts[k].push(total - runEnd[k]);
  }
  return counts;
}
