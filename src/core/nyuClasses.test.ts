import { describe, expect, it } from 'vitest';
import { NYU13_CLASSES, nyuLabelSet, vocLabelSet } from './labelSets.ts';
import { nyuIndexMap, segmentationDepthUnavailable, toNyuLabels } from './nyuClasses.ts';

describe('nyuClasses', () => {
  it('the indoor preset maps each class to its own NYUv2 label value, background to unlabelled', () => {
    const map = nyuIndexMap(nyuLabelSet());
    expect(map[0]).toBe(0);
    NYU13_CLASSES.forEach((_, i) => expect(map[i + 1]).toBe(i + 1));
    expect(segmentationDepthUnavailable(nyuLabelSet())).toBeUndefined();
  });

  it('other sets map by name (VOC tvmonitor is NYUv2 tv); classes NYUv2 lacks read as unlabelled', () => {
    const voc = vocLabelSet();
    const map = nyuIndexMap(voc);
    const at = (name: string) => voc.classes.findIndex((c) => c.name === name);
    expect(map[at('chair')]).toBe(NYU13_CLASSES.indexOf('chair') + 1);
    expect(map[at('sofa')]).toBe(NYU13_CLASSES.indexOf('sofa') + 1);
    expect(map[at('tvmonitor')]).toBe(NYU13_CLASSES.indexOf('tv') + 1);
    expect(map[at('person')]).toBe(0);
    expect(toNyuLabels(Uint8Array.of(at('chair'), at('person'), 255), map)).toEqual(Uint8Array.of(4, 0, 0));
    expect(segmentationDepthUnavailable(voc)).toMatch(/floor, wall or ceiling/);
  });
});
