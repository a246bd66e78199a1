// COCO instances JSON → class-index ground truth per image (issue 11 imports; thesis ch. 3: masks for fully
// supervised training of one head across photos, and for scoring). docs/studio.md: "Photo sets, ground truth
// and metrics".
//
// How the instances become one class per pixel, each rule measured on coco-mini, whose voc_masks/ were made from
// its instances.json (cocoImport.test.ts: 99.76 % of pixels agree; the rest are polygon edges):
// - A category becomes the label set's class of the same name (classMapping.ts: classKey, so COCO's 'motorcycle',
//   'airplane', 'couch', 'tv', 'dining table', 'potted plant' are VOC's 'motorbike', 'aeroplane', …).
// - A category without such a class is background, and is painted as background: a bowl on a dining table is
//   not table (leaving it out scores 91.7 % on coco-mini, painting it 99.8 %). Its name is reported.
// - Instances are painted largest `area` first, so a smaller object lying on a larger one stays on top (file
//   order: 96.6 %). Ties keep file order.
// - `iscrowd: 1` regions are ignore (IGNORE_LABEL, 255), in the same order: a crowd's pixels are not all of its class.
// - Pixels no annotation covers are background.
// - Polygons are filled at pixel centres, even-odd, the rings of one annotation united (yoloPolygons.ts:
//   rasterizePolygons). pycocotools' rleFrPoly approximates this (it rounds edges on a 5× grid and samples at whole
//   coordinates): pixel centres agree with coco-mini's voc_masks on 99.76 % of pixels, whole coordinates 99.66 %.
// - RLE: uncompressed `counts` or pycocotools' compressed string (cocoRle.ts); it must have its image's size.
import { BACKGROUND_CLASS, type CocoCategory, type CocoImage } from './cocoExport.ts';
import { decodeRle, type AnyCocoRle } from './cocoRle.ts';
import { classKey } from './classMapping.ts';
import { IGNORE_LABEL, type LabelSet } from './types.ts';
import { rasterizePolygons } from './yoloPolygons.ts';

export interface CocoInstanceAnnotation {
  image_id: number;
  category_id: number;
  /** Polygons ([x1, y1, x2, y2, …] each, closed implicitly) or an RLE. */
  segmentation: number[][] | AnyCocoRle;
  iscrowd?: number;
  area?: number;
}

export interface CocoInstancesFile {
  images: CocoImage[];
  annotations: CocoInstanceAnnotation[];
  categories: CocoCategory[];
}

export interface CocoClassMasks {
  images: CocoImage[];
  /** Category names with no class of that name in the label set (painted as background), in category order. */
  unmapped: string[];
  /** The image's class map, row-major at its `width` × `height`. */
  classMask(image: CocoImage): Uint8Array;
}

const isWhole = (v: unknown, min: number): v is number => Number.isInteger(v) && (v as number) >= min;

/** The parsed JSON checked as a COCO instances file; throws naming the first thing that is not. */
export function readCocoInstances(json: unknown): CocoInstancesFile {
  const j = json as Partial<CocoInstancesFile> | null;
  if (!j || !Array.isArray(j.images) || !Array.isArray(j.annotations) || !Array.isArray(j.categories)) {
    throw new Error('not a COCO instances file (needs images, annotations and categories)');
  }
  j.images.forEach((im, i) => {
    if (!isWhole(im?.id, 0) || typeof im.file_name !== 'string' || !isWhole(im.width, 1) || !isWhole(im.height, 1)) {
      throw new Error(`images[${i}] needs an id, a file_name, a width and a height`);
    }
  });
  j.categories.forEach((c, i) => {
    if (!isWhole(c?.id, 0) || typeof c.name !== 'string') throw new Error(`categories[${i}] needs an id and a name`);
  });
  j.annotations.forEach((a, i) => {
    const s = a?.segmentation;
    const polygons = Array.isArray(s) && s.every((r) => Array.isArray(r) && r.every(Number.isFinite));
    const rle = !!s && !Array.isArray(s) && Array.isArray(s.size) && (typeof s.counts === 'string' || Array.isArray(s.counts));
    if (!isWhole(a?.image_id, 0) || !isWhole(a.category_id, 0) || !(polygons || rle)) {
      throw new Error(`annotations[${i}] needs an image_id, a category_id and a segmentation (polygons or RLE)`);
    }
  });
  return j as CocoInstancesFile;
}

/** Class maps of the file's images in `labelSet`'s indices (rules above). */
export function cocoClassMasks(coco: CocoInstancesFile, labelSet: LabelSet): CocoClassMasks {
  const byKey = new Map<string, number>();
  labelSet.classes.forEach((c, i) => {
    if (!byKey.has(classKey(c.name))) byKey.set(classKey(c.name), i);
  });
  const classOf = new Map<number, number>();
  const unmapped: string[] = [];
  for (const c of coco.categories) {
    const index = byKey.get(classKey(c.name));
    classOf.set(c.id, index ?? BACKGROUND_CLASS);
    if (index === undefined) unmapped.push(c.name);
  }
  const byImage = new Map<number, CocoInstanceAnnotation[]>();
  coco.annotations.forEach((a, i) => {
    if (!classOf.has(a.category_id)) throw new Error(`annotations[${i}]: category_id ${a.category_id} is not in categories`);
    const list = byImage.get(a.image_id);
    if (list) list.push(a);
    else byImage.set(a.image_id, [a]);
  });

  function classMask(image: CocoImage): Uint8Array {
    const { width, height } = image;
    const classes = new Uint8Array(width * height).fill(BACKGROUND_CLASS);
    const masks = (byImage.get(image.id) ?? []).map((a) => ({ a, mask: instanceMask(a, width, height, image.file_name) }));
    const area = (m: (typeof masks)[number]) => m.a.area ?? m.mask.reduce((n, v) => n + v, 0);
    // Array.prototype.sort is stable: equal areas keep file order.
    masks.sort((x, y) => area(y) - area(x));
    for (const { a, mask } of masks) {
      const value = a.iscrowd ? IGNORE_LABEL : classOf.get(a.category_id)!;
      for (let i = 0; i < mask.length; i++) if (mask[i]) classes[i] = value;
    }
    return classes;
  }

  return { images: coco.images, unmapped, classMask };
}

/** One annotation's 0/1 mask, row-major. */
function instanceMask(a: CocoInstanceAnnotation, width: number, height: number, fileName: string): Uint8Array {
  const s = a.segmentation;
  if (Array.isArray(s)) return rasterizePolygons(s, width, height);
  if (s.size[0] !== height || s.size[1] !== width) {
    throw new Error(`${fileName}: an RLE of size ${s.size[0]}×${s.size[1]} (height × width) on a ${height}×${width} image`);
  }
  return decodeRle(s);
}
