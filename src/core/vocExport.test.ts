// VOC / CVAT labelmap and per-class masks.
import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cocoLabelSet, vocLabelSet } from './labelSets.ts';
import { decodeIndexPng } from './pngCodec.ts';
import { sharedDataPath } from './testData.ts';
import { IGNORE_LABEL } from './types.ts';
import { LABELMAP_HEADER, labelmapTxt, perClassMasks } from './vocExport.ts';

/** The PASCAL VOC devkit's class colours (VOCdevkit labelmap; CVAT's default VOC labelmap has the same). */
const VOC_LABELMAP = [
  'background:0,0,0::', 'aeroplane:128,0,0::', 'bicycle:0,128,0::', 'bird:128,128,0::', 'boat:0,0,128::',
  'bottle:128,0,128::', 'bus:0,128,128::', 'car:128,128,128::', 'cat:64,0,0::', 'chair:192,0,0::', 'cow:64,128,0::',
  'diningtable:192,128,0::', 'dog:64,0,128::', 'horse:192,0,128::', 'motorbike:64,128,128::', 'person:192,128,128::',
  'pottedplant:0,64,0::', 'sheep:128,64,0::', 'sofa:0,192,0::', 'train:128,192,0::', 'tvmonitor:0,64,128::',
];

describe('VOC / CVAT Segmentation mask 1.1', () => {
  it('labelmap of the VOC preset: header, then the standard VOC colours in class order', () => {
    expect(labelmapTxt(vocLabelSet())).toBe([LABELMAP_HEADER, ...VOC_LABELMAP].join('\n') + '\n');
    expect(LABELMAP_HEADER).toBe('# label:color_rgb:parts:actions');
  });

  it('colours follow the class index, whatever the label set', () => {
    const coco = labelmapTxt(cocoLabelSet(['person', 'bicycle', 'car'])).split('\n');
    expect(coco.slice(1, 5)).toEqual(['background:0,0,0::', 'person:128,0,0::', 'bicycle:0,128,0::', 'car:128,128,0::']);
    const custom = { id: 'x', classes: [{ name: 'bg', color: '#000000' }, { name: 'road', color: '#ff8000' }] };
    expect(labelmapTxt(custom)).toBe(`${LABELMAP_HEADER}\nbg:0,0,0::\nroad:255,128,0::\n`);
  });

  it('refuses names the format cannot hold and colours two classes share', () => {
    expect(() => labelmapTxt({ id: 'x', classes: [{ name: 'a:b', color: '#000000' }] })).toThrow(/':'/);
    expect(() => labelmapTxt({ id: 'x', classes: [{ name: 'a', color: '#102030' }, { name: 'b', color: '#102030' }] })).toThrow(/share the colour 16,32,48/);
  });

  it('per-class masks: one 0/255 PNG per class present, decoding back to the class map', async () => {
    const voc = vocLabelSet();
    const dir = sharedDataPath('coco-mini', 'voc_masks');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    expect(files).toHaveLength(25);
    let masks = 0;
    for (const file of files) {
      const { width, height, values } = decodeIndexPng(await readFile(sharedDataPath('coco-mini', 'voc_masks', file)));
      const classes = Uint8Array.from(values);
      const out = perClassMasks(classes, width, height, voc);
      const present = [...new Set(classes)].filter((c) => c !== IGNORE_LABEL).sort((a, b) => a - b);
      expect(out.map((m) => m.classIndex)).toEqual(present);
      expect(out.map((m) => m.name)).toEqual(present.map((c) => voc.classes[c].name));
      const rebuilt = new Uint8Array(classes.length).fill(IGNORE_LABEL);
      let overlaps = 0;
      let notBinary = 0;
      for (const m of out) {
        const png = decodeIndexPng(m.png);
        expect([png.width, png.height]).toEqual([width, height]);
        for (let i = 0; i < png.values.length; i++) {
          const v = png.values[i];
          if (v !== 0 && v !== 255) notBinary++;
          if (v !== 255) continue;
          if (rebuilt[i] !== IGNORE_LABEL) overlaps++;
          rebuilt[i] = m.classIndex;
        }
      }
      let wrong = 0;
      for (let i = 0; i < classes.length; i++) if (rebuilt[i] !== classes[i]) wrong++;
      expect([wrong, overlaps, notBinary], file).toEqual([0, 0, 0]);
      masks += out.length;
    }
    expect(masks).toBe(25 + 47); // background in every photo, and 47 object classes
  });

  it('rejects classes outside the label set and wrong sizes', () => {
    expect(() => perClassMasks(Uint8Array.of(0, 21), 2, 1, vocLabelSet())).toThrow(/class 21/);
    expect(() => perClassMasks(Uint8Array.of(0), 2, 1, vocLabelSet())).toThrow(/1 class values/);
  });
});
