// The files of an export, the same in the studio (one zip download) and the CLI (`export`: a folder): which
// encoder writes which path for each format (docs/exports.md). Pure: class maps in, `{ path, bytes }` out.
//
// - 'voc': CVAT "Segmentation mask 1.1" / PASCAL VOC — `SegmentationClass/<stem>.png` (class-index palette PNGs,
//   colours from exportPalette), `labelmap.txt`, `ImageSets/Segmentation/default.txt` (the stems, one a line).
// - 'per-class': `<stem>/<class>.png`, one binary PNG (255 = the class) per class present.
// - 'coco': one `annotations.json` (toCocoJson, one annotation per class per photo).
// - 'yolo': `labels/<stem>.txt` (Ultralytics segmentation) and `classes.txt`.
// - 'overlay': `overlay/<stem>.png`, the photo with its labels blended in the label set's colours.
// Stems come from the photos' names, made unique (`a.jpg`, `a.png` → `a`, `a-2`) and safe as a path part.
import { strToU8, zipSync, type Zippable } from 'fflate';
import { encode } from 'fast-png';
import { toCocoJson } from './cocoExport.ts';
import { fileStem, maskFileName } from './fileNames.ts';
import { exportPalette, type Rgb } from './labelSets.ts';
import { encodeClassIndexPng } from './pngCodec.ts';
import { IGNORE_LABEL, type LabelSet } from './types.ts';
import { labelmapTxt, perClassMasks } from './vocExport.ts';
import { yoloClassesFile, yoloSegmentationTxt } from './yoloPolygons.ts';

export const EXPORT_FORMATS = ['voc', 'per-class', 'coco', 'yolo', 'overlay'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What each format is called in menus and messages. */
export const EXPORT_FORMAT_LABELS: Record<ExportFormat, string> = {
  voc: 'VOC / CVAT masks',
  'per-class': 'Per-class masks',
  coco: 'COCO JSON',
  yolo: 'YOLO segmentation',
  overlay: 'Colour overlays',
};

export function isExportFormat(v: string): v is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(v);
}

export interface ExportPhoto {
  /** The photo's file name (COCO `file_name`; its stem names the photo's files). */
  name: string;
  /** The photo's original size, orientation as displayed. */
  width: number;
  height: number;
  /** Class index per pixel at that size, row-major; IGNORE_LABEL where unlabelled. */
  classes: Uint8Array;
  /** The photo's pixels at that size (RGBA), for 'overlay' only. */
  rgba?: Uint8Array | Uint8ClampedArray;
}

export interface ExportEntry {
  path: string;
  bytes: Uint8Array;
}

export interface ExportLayoutOptions {
  /** Opacity of the label colours over the photo in 'overlay' (0..1; default 0.5). */
  overlayAlpha?: number;
}

/** Characters no file system or zip reader should see in one path part. */
function safePart(name: string, fallback: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = name.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_').trim();
  return safe === '' || safe === '.' || safe === '..' ? fallback : safe;
}

/** One unique, path-safe stem per name, in order (a second `a.jpg` or an `a.png` becomes `a-2`). */
export function exportStems(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const base = safePart(fileStem(name), 'photo');
    let stem = base;
    for (let n = 2; used.has(stem.toLowerCase()); n++) stem = `${base}-${n}`;
    used.add(stem.toLowerCase());
    return stem;
  });
}

/** Per-class mask file names by class index: the class name, path-safe, unique (`name-<index>` on a clash). */
export function classFileNames(labelSet: LabelSet): string[] {
  const used = new Set<string>();
  return labelSet.classes.map((c, i) => {
    let name = safePart(c.name, `class-${i}`);
    if (used.has(name.toLowerCase())) name = `${name}-${i}`;
    used.add(name.toLowerCase());
    return name;
  });
}

function checkPhoto(p: ExportPhoto, labelSet: LabelSet): void {
  if (p.classes.length !== p.width * p.height) throw new RangeError(`${p.name}: ${p.classes.length} class values for ${p.width}×${p.height} pixels`);
  const n = labelSet.classes.length;
  for (const c of p.classes) if (c >= n && c !== IGNORE_LABEL) throw new RangeError(`${p.name}: class ${c} is not in label set '${labelSet.id}'`);
}

/**
 * The photo with its labels blended in: RGB, each labelled pixel (IGNORE_LABEL aside) mixed with its class's
 * palette colour at `alpha`, as the studio's viewer shows it.
 */
export function overlayRgb(rgba: ArrayLike<number>, classes: Uint8Array, palette: readonly Rgb[], alpha: number): Uint8Array {
  if (rgba.length !== classes.length * 4) throw new RangeError(`${rgba.length / 4} photo pixels for ${classes.length} class values`);
  const a = Math.min(1, Math.max(0, alpha));
  const out = new Uint8Array(classes.length * 3);
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i];
    const colour = c === IGNORE_LABEL ? undefined : palette[c];
    for (let k = 0; k < 3; k++) {
      const v = rgba[i * 4 + k];
      out[i * 3 + k] = colour ? Math.round(v * (1 - a) + colour[k] * a) : v;
    }
  }
  return out;
}

/** Every file of one export of `photos` in `format`, paths relative to the export's root. */
export function exportEntries(format: ExportFormat, photos: readonly ExportPhoto[], labelSet: LabelSet, options: ExportLayoutOptions = {}): ExportEntry[] {
  for (const p of photos) checkPhoto(p, labelSet);
  const stems = exportStems(photos.map((p) => p.name));
  const palette = exportPalette(labelSet);
  const entries: ExportEntry[] = [];
  switch (format) {
    case 'voc':
      photos.forEach((p, i) => {
        entries.push({ path: `SegmentationClass/${stems[i]}.png`, bytes: encodeClassIndexPng(p.classes, p.width, p.height, palette) });
      });
      entries.push({ path: 'labelmap.txt', bytes: strToU8(labelmapTxt(labelSet)) });
      entries.push({ path: 'ImageSets/Segmentation/default.txt', bytes: strToU8(stems.map((s) => s + '\n').join('')) });
      break;
    case 'per-class': {
      const names = classFileNames(labelSet);
      photos.forEach((p, i) => {
        for (const m of perClassMasks(p.classes, p.width, p.height, labelSet)) entries.push({ path: `${stems[i]}/${names[m.classIndex]}.png`, bytes: m.png });
      });
      break;
    }
    case 'coco': {
      const images = photos.map((p, i) => ({ id: i + 1, fileName: p.name, width: p.width, height: p.height, classes: p.classes }));
      entries.push({ path: 'annotations.json', bytes: strToU8(JSON.stringify(toCocoJson(images, labelSet))) });
      break;
    }
    case 'yolo':
      photos.forEach((p, i) => {
        entries.push({ path: `labels/${stems[i]}.txt`, bytes: strToU8(yoloSegmentationTxt(p.classes, p.width, p.height)) });
      });
      entries.push({ path: 'classes.txt', bytes: strToU8(yoloClassesFile(labelSet)) });
      break;
    case 'overlay':
      photos.forEach((p, i) => {
        if (!p.rgba) throw new Error(`${p.name}: an overlay needs the photo's pixels`);
        const data = overlayRgb(p.rgba, p.classes, palette, options.overlayAlpha ?? 0.5);
        entries.push({ path: `overlay/${stems[i]}.png`, bytes: encode({ width: p.width, height: p.height, data, depth: 8, channels: 3 }) });
      });
      break;
    default:
      throw new RangeError(`unknown export format '${String(format)}'`);
  }
  return entries;
}

/** One file to save: a zip of the entries, or a lone PNG. */
export interface ExportDownload {
  name: string;
  bytes: Uint8Array;
  type: 'application/zip' | 'image/png';
}

/**
 * What the studio downloads: one zip `<first stem>-<format>.zip` of the export's entries; for one photo in 'voc' or
 * 'overlay', just its PNG (`<stem>-mask.png`, `<stem>-overlay.png`), as nothing else of the layout matters then.
 */
export function exportDownload(format: ExportFormat, photos: readonly ExportPhoto[], labelSet: LabelSet, options: ExportLayoutOptions & { single?: boolean } = {}): ExportDownload {
  if (photos.length === 0) throw new RangeError('nothing to export');
  const entries = exportEntries(format, photos, labelSet, options);
  const stem = exportStems([photos[0].name])[0];
  if (options.single && photos.length === 1 && (format === 'voc' || format === 'overlay')) {
    const png = entries.find((e) => e.path.endsWith('.png'))!;
    return { name: format === 'voc' ? maskFileName(photos[0].name) : `${stem}-overlay.png`, bytes: png.bytes, type: 'image/png' };
  }
  return { name: `${stem}-${format}.zip`, bytes: zipEntries(entries), type: 'application/zip' };
}

/** The entries as one zip (PNGs stored as they are: they are compressed already). */
export function zipEntries(entries: readonly ExportEntry[]): Uint8Array {
  const files: Zippable = {};
  for (const e of entries) {
    if (files[e.path]) throw new RangeError(`two files at ${e.path}`);
    files[e.path] = [e.bytes, { level: e.path.endsWith('.png') ? 0 : 6 }];
  }
  return zipSync(files);
}
