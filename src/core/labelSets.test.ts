import { describe, expect, it } from 'vitest';
import { cocoLabelSet, vocLabelSet, vocPalette } from './labelSets.ts';

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
});
