import { describe, expect, it } from 'vitest';
import { hexToRgb } from './hexColor.ts';
import { cocoLabelSet, exportPalette, vocLabelSet, vocPalette } from './labelSets.ts';

describe('label sets', () => {
  it('generates the standard VOC palette', () => {
    const p = vocPalette();
    expect(p).toHaveLength(256);
    expect(p[0]).toEqual([0, 0, 0]);
    expect(p[1]).toEqual([128, 0, 0]);
    expect(p[15]).toEqual([192, 128, 128]);
    expect(p[20]).toEqual([0, 64, 128]);
    expect(p[255]).toEqual([224, 224, 192]);
  });

  it('has 21 VOC classes and background + the detector classes for COCO', () => {
    const voc = vocLabelSet();
    expect(voc.classes).toHaveLength(21);
    expect(voc.classes[15]).toEqual({ name: 'person', color: '#c08080' });
    const coco = cocoLabelSet(['person', 'bicycle']);
    expect(coco.classes.map((c) => c.name)).toEqual(['background', 'person', 'bicycle']);
    expect(() => cocoLabelSet(Array.from({ length: 255 }, (_, i) => `c${i}`))).toThrow(RangeError);
  });

  it('gives the VOC preset exactly the VOC palette colours', () => {
    const p = vocPalette();
    vocLabelSet().classes.forEach((c, i) => expect(hexToRgb(c.color)).toEqual(p[i]));
  });

  it('exports with the label set colours, then the VOC palette: the studio and the CLI by one rule', () => {
    expect(exportPalette(vocLabelSet())).toEqual(vocPalette());
    const custom = { id: 'custom', classes: [{ name: 'sky', color: '#0080ff' }, { name: 'tree', color: '#00ff00' }] };
    const p = exportPalette(custom);
    expect(p).toHaveLength(256);
    expect(p[0]).toEqual([0, 128, 255]);
    expect(p[1]).toEqual([0, 255, 0]);
    expect(p.slice(2)).toEqual(vocPalette().slice(2));
    expect(exportPalette(cocoLabelSet(['person']))[1]).toEqual(vocPalette()[1]);
  });
});
