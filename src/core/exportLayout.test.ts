// The export layout (what the studio zips and `cli export` writes) on coco-mini VOC masks: every format's files,
// each decoding back to the class maps.
import { readFileSync } from 'node:fs';
import { decode } from 'fast-png';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { CocoJson } from './cocoExport.ts';
import { decodeRle } from './cocoRle.ts';
import { classFileNames, exportDownload, exportEntries, exportStems, overlayRgb, type ExportPhoto } from './exportLayout.ts';
import { cocoLabelSet, exportPalette, vocLabelSet } from './labelSets.ts';
import { decodeIndexPng } from './pngCodec.ts';
import { sharedDataPath } from './testData.ts';
import { IGNORE_LABEL } from './types.ts';
import { yoloToClassMap } from './yoloPolygons.ts';

const voc = vocLabelSet();
const STEMS = ['000000022892', '000000034417']; // six classes; an ignore region
const photos: ExportPhoto[] = STEMS.map((stem) => {
  const png = decodeIndexPng(readFileSync(sharedDataPath('coco-mini', 'voc_masks', `${stem}.png`)));
  return { name: `${stem}.jpg`, width: png.width, height: png.height, classes: Uint8Array.from(png.values) };
});
/** Byte-equal class maps (toEqual walks large typed arrays slowly). */
const expectSame = (a: Uint8Array, b: Uint8Array) => expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
const byPath = (entries: { path: string; bytes: Uint8Array }[]) => new Map(entries.map((e) => [e.path, e.bytes]));

describe('export layout', () => {
  it('voc: CVAT Segmentation mask 1.1 — class-index PNGs with the label set palette, labelmap, image set', () => {
    const files = byPath(exportEntries('voc', photos, voc));
    expect([...files.keys()].sort()).toEqual(['ImageSets/Segmentation/default.txt', ...STEMS.map((s) => `SegmentationClass/${s}.png`), 'labelmap.txt']);
    expect(strFromU8(files.get('ImageSets/Segmentation/default.txt')!)).toBe(STEMS.join('\n') + '\n');
    expect(strFromU8(files.get('labelmap.txt')!).split('\n')[2]).toBe('aeroplane:128,0,0::');
    photos.forEach((p, i) => {
      const png = decode(files.get(`SegmentationClass/${STEMS[i]}.png`)!);
      expect([png.width, png.height]).toEqual([p.width, p.height]);
      expectSame(Uint8Array.from(png.data), p.classes);
      expect(png.palette?.[8]).toEqual([64, 0, 0]);
    });
  });

  it('per-class: one binary PNG per class present, named by class, together the class map', () => {
    const entries = exportEntries('per-class', photos, voc);
    expect(entries.map((e) => e.path).filter((p) => p.startsWith(STEMS[0]))).toEqual(['background', 'cat', 'chair', 'diningtable', 'dog', 'pottedplant'].map((n) => `${STEMS[0]}/${n}.png`));
    photos.forEach((p, i) => {
      const rebuilt = new Uint8Array(p.classes.length).fill(IGNORE_LABEL);
      for (const e of entries.filter((e) => e.path.startsWith(`${STEMS[i]}/`))) {
        const c = voc.classes.findIndex((k) => `${STEMS[i]}/${k.name}.png` === e.path);
        const { values } = decodeIndexPng(e.bytes);
        expect(values.every((v) => v === 0 || v === 255)).toBe(true);
        values.forEach((v, j) => v && (rebuilt[j] = c));
      }
      expectSame(rebuilt, p.classes);
    });
  });

  it('coco: one annotations.json whose RLEs rebuild every class map', () => {
    const [entry] = exportEntries('coco', photos, voc);
    expect(entry.path).toBe('annotations.json');
    const coco = JSON.parse(strFromU8(entry.bytes)) as CocoJson;
    expect(coco.images.map((i) => i.file_name)).toEqual(photos.map((p) => p.name));
    photos.forEach((p, i) => {
      const rebuilt = Uint8Array.from(p.classes, (c) => (c === IGNORE_LABEL ? IGNORE_LABEL : 0));
      for (const a of coco.annotations.filter((a) => a.image_id === i + 1)) decodeRle(a.segmentation).forEach((v, j) => v && (rebuilt[j] = a.category_id));
      expectSame(rebuilt, p.classes);
    });
  });

  it('yolo: labels/<stem>.txt rasterizing back to the classes, and classes.txt', () => {
    const files = byPath(exportEntries('yolo', photos, voc));
    expect(strFromU8(files.get('classes.txt')!).split('\n').slice(0, 2)).toEqual(['background', 'aeroplane']);
    photos.forEach((p, i) => {
      const back = yoloToClassMap(strFromU8(files.get(`labels/${STEMS[i]}.txt`)!), p.width, p.height);
      // Background and ignore are not traced: both read back as 0.
      expectSame(back, p.classes.map((c) => (c === IGNORE_LABEL ? 0 : c)));
    });
  });

  it('overlay: the photo with class colours blended in, ignore left as is', () => {
    const rgba = new Uint8Array([100, 100, 100, 255, 100, 100, 100, 255, 10, 20, 30, 255]);
    const classes = new Uint8Array([0, 1, IGNORE_LABEL]);
    expect([...overlayRgb(rgba, classes, exportPalette(voc), 0.5)]).toEqual([50, 50, 50, 114, 50, 50, 10, 20, 30]);
    const p = photos[0];
    const [entry] = exportEntries('overlay', [{ ...p, rgba: new Uint8Array(p.width * p.height * 4).fill(200) }], voc);
    expect(entry.path).toBe(`overlay/${STEMS[0]}.png`);
    const png = decode(entry.bytes);
    expect([png.width, png.height, png.channels]).toEqual([p.width, p.height, 3]);
    expect(() => exportEntries('overlay', [p], voc)).toThrow(/pixels/);
  });

  it('downloads: one zip named by the first photo, or the lone PNG of one photo', () => {
    const zip = exportDownload('yolo', photos, voc);
    expect([zip.name, zip.type]).toEqual([`${STEMS[0]}-yolo.zip`, 'application/zip']);
    expect(Object.keys(unzipSync(zip.bytes)).sort()).toEqual(['classes.txt', ...STEMS.map((s) => `labels/${s}.txt`)]);
    const single = exportDownload('voc', [photos[0]], voc, { single: true });
    expect([single.name, single.type]).toEqual([`${STEMS[0]}-mask.png`, 'image/png']);
    expect(exportDownload('voc', [photos[0]], voc).name).toBe(`${STEMS[0]}-voc.zip`);
    expect(() => exportDownload('coco', [], voc)).toThrow(/nothing/);
  });

  it('stems and class file names are unique and path-safe; classes outside the label set are refused', () => {
    expect(exportStems(['a.jpg', 'a.png', 'A.gif', 'b/c.png', '.png'])).toEqual(['a', 'a-2', 'A-3', 'b_c', 'photo']);
    const set = { id: 'x', classes: [{ name: 'bg', color: '#000000' }, { name: 'a/b', color: '#010101' }, { name: 'BG', color: '#020202' }] };
    expect(classFileNames(set)).toEqual(['bg', 'a_b', 'BG-2']);
    const bad = { ...photos[0], classes: photos[0].classes.map((c) => (c === 9 ? 30 : c)) };
    for (const f of ['voc', 'coco', 'yolo', 'per-class'] as const) expect(() => exportEntries(f, [bad], voc)).toThrow(/class 30/);
    expect(() => exportEntries('voc', [{ ...photos[0], width: 3 }], voc)).toThrow(/pixels/);
    expect(exportEntries('voc', photos, cocoLabelSet(['person'].concat(Array.from({ length: 20 }, (_, i) => `c${i}`)))).length).toBe(4);
  });
});
