// COCO JSON export round trip on coco-mini's VOC masks: decoding every annotation rebuilds the class map.
import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { toCocoJson, type CocoJson, type ExportImage } from './cocoExport.ts';
import { decodeRle, encodeRle, rleArea, rleBbox, rleToString } from './cocoRle.ts';
import { vocLabelSet } from './labelSets.ts';
import { decodeIndexPng } from './pngCodec.ts';
import { sharedDataPath } from './testData.ts';
import { IGNORE_LABEL } from './types.ts';

const voc = vocLabelSet();

async function vocMasks(): Promise<ExportImage[]> {
  const dir = sharedDataPath('coco-mini', 'voc_masks');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
  return Promise.all(files.map(async (file, i) => {
    const { width, height, values } = decodeIndexPng(await readFile(sharedDataPath('coco-mini', 'voc_masks', file)));
    return { id: i + 1, fileName: file.replace('.png', '.jpg'), width, height, classes: Uint8Array.from(values) };
  }));
}

/** Class map rebuilt from the annotations (0 where none), and how many pixels two annotations both claim. */
function rebuild(json: CocoJson, image: ExportImage): { classes: Uint8Array; overlaps: number } {
  const classes = new Uint8Array(image.width * image.height);
  let overlaps = 0;
  for (const a of json.annotations.filter((a) => a.image_id === image.id)) {
    const mask = decodeRle(a.segmentation);
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      if (classes[i]) overlaps++;
      classes[i] = a.category_id;
    }
  }
  return { classes, overlaps };
}

/** 8-connected pieces of a 0/1 mask (the test's own flood fill). */
function pieces(mask: Uint8Array, width: number, height: number): number {
  const seen = new Uint8Array(mask.length);
  let n = 0;
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s] || seen[s]) continue;
    n++;
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % width;
      const y = Math.floor(p / width);
      for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
          const q = ny * width + nx;
          if (mask[q] && !seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
  }
  return n;
}

function classMask(classes: Uint8Array, c: number): Uint8Array {
  return classes.map((v) => (v === c ? 1 : 0));
}

describe('COCO JSON export', () => {
  it('lays out categories by class index without background, images, and per-class RLE annotations', () => {
    // 4×3:  0 1 1 0
    //       2 0 1 255
    //       2 2 0 0
    const classes = Uint8Array.of(0, 1, 1, 0, 2, 0, 1, 255, 2, 2, 0, 0);
    const json = toCocoJson([{ id: 7, fileName: 'a.jpg', width: 4, height: 3, classes }], voc);
    expect(json.categories).toHaveLength(20);
    expect(json.categories[0]).toEqual({ id: 1, name: 'aeroplane' });
    expect(json.categories[19]).toEqual({ id: 20, name: 'tvmonitor' });
    expect(json.images).toEqual([{ id: 7, file_name: 'a.jpg', width: 4, height: 3 }]);
    const one = encodeRle(classMask(classes, 1), 4, 3);
    const two = encodeRle(classMask(classes, 2), 4, 3);
    expect(json.annotations).toEqual([
      { id: 1, image_id: 7, category_id: 1, segmentation: { size: [3, 4], counts: rleToString(one.counts) }, area: 3, bbox: [1, 0, 2, 2], iscrowd: 0 },
      { id: 2, image_id: 7, category_id: 2, segmentation: { size: [3, 4], counts: rleToString(two.counts) }, area: 3, bbox: [0, 1, 2, 2], iscrowd: 0 },
    ]);
  });

  it("'connected' makes one annotation per 8-connected region: corners join, gaps split", () => {
    // 5×3:  1 0 0 0 1
    //       0 1 0 0 1      class 1: {(0,0),(1,1),(2,2)} by corners, {(4,0),(4,1)}; class 2: one pixel
    //       0 0 1 2 0
    const classes = Uint8Array.of(1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 2, 0);
    const json = toCocoJson([{ id: 1, fileName: 'a.jpg', width: 5, height: 3, classes }], voc, { instances: 'connected' });
    expect(json.annotations.map((a) => [a.category_id, a.area, a.bbox])).toEqual([
      [1, 3, [0, 0, 3, 3]],
      [1, 2, [4, 0, 1, 2]],
      [2, 1, [3, 2, 1, 1]],
    ]);
    expect(json.annotations.map((a) => a.id)).toEqual([1, 2, 3]);
  });

  it('rejects classes outside the label set, wrong sizes and repeated image ids', () => {
    const img = { id: 1, fileName: 'a.jpg', width: 2, height: 1, classes: Uint8Array.of(0, 21) };
    expect(() => toCocoJson([img], voc)).toThrow(/class 21/);
    expect(() => toCocoJson([{ ...img, classes: Uint8Array.of(0) }], voc)).toThrow(/1 class values/);
    const ok = { ...img, classes: Uint8Array.of(0, IGNORE_LABEL) };
    expect(() => toCocoJson([ok, ok], voc)).toThrow(/used twice/);
    expect(toCocoJson([ok], voc).annotations).toEqual([]);
  });

  it.each(['per-class', 'connected'] as const)(
    '%s: decoding every annotation of the 25 coco-mini VOC masks gives back each class map pixel for pixel',
    async (instances) => {
      const images = await vocMasks();
      const json = toCocoJson(images, voc, { instances });
      // The JSON is what gets written: it survives stringify/parse unchanged.
      expect(JSON.parse(JSON.stringify(json))).toEqual(json);
      let regions = 0;
      for (const image of images) {
        const { classes, overlaps } = rebuild(json, image);
        expect(overlaps).toBe(0);
        let wrong = 0;
        for (let i = 0; i < classes.length; i++) {
          const expected = image.classes[i] === IGNORE_LABEL ? 0 : image.classes[i];
          if (classes[i] !== expected) wrong++;
        }
        expect(wrong, image.fileName).toBe(0);
        const present = [...new Set(image.classes)].filter((c) => c !== 0 && c !== IGNORE_LABEL).sort((a, b) => a - b);
        const anns = json.annotations.filter((a) => a.image_id === image.id);
        for (const a of anns) {
          expect(a.iscrowd).toBe(0);
          expect(a.area).toBe(rleArea(a.segmentation));
          expect(a.bbox).toEqual(rleBbox(a.segmentation));
        }
        if (instances === 'per-class') {
          expect(anns.map((a) => a.category_id)).toEqual(present);
        } else {
          for (const c of present) {
            const ofClass = anns.filter((a) => a.category_id === c);
            expect(ofClass.length, `${image.fileName} class ${c}`).toBe(pieces(classMask(image.classes, c), image.width, image.height));
            for (const a of ofClass) expect(pieces(decodeRle(a.segmentation), image.width, image.height)).toBe(1);
          }
          regions += anns.length;
        }
      }
      if (instances === 'connected') expect(regions).toBeGreaterThan(json.images.length);
    },
  );
});
