import { describe, expect, it } from 'vitest';
import { DEPTH_CLASSES, NYU13_CLASSES, nyuLabelSet, outdoorLabelSet, OUTDOOR_CLASSES, vocLabelSet } from './labelSets.ts';
import { depthClassIndexMap, segmentationDepthUnavailable, toDepthLabels } from './depthClasses.ts';

describe('depthClasses', () => {
  it('the indoor preset maps each class to its own NYUv2 label value, background to unlabelled', () => {
    const map = depthClassIndexMap(nyuLabelSet());
    expect(map[0]).toBe(0);
    NYU13_CLASSES.forEach((_, i) => expect(map[i + 1]).toBe(i + 1));
    expect(segmentationDepthUnavailable(nyuLabelSet())).toBeUndefined();
  });

  it('the outdoor preset maps to the label values after NYUv2 13', () => {
    const map = depthClassIndexMap(outdoorLabelSet());
    expect(map[0]).toBe(0);
    OUTDOOR_CLASSES.forEach((name, i) => expect([map[i + 1], DEPTH_CLASSES[map[i + 1] - 1]]).toEqual([14 + i, name]));
    expect(segmentationDepthUnavailable(outdoorLabelSet())).toBeUndefined();
  });

  it('other sets map by name (VOC tvmonitor is tv, person and car are the outdoor ones); others read as unlabelled', () => {
    const voc = vocLabelSet();
    const map = depthClassIndexMap(voc);
    const at = (name: string) => voc.classes.findIndex((c) => c.name === name);
    const value = (name: (typeof DEPTH_CLASSES)[number]) => DEPTH_CLASSES.indexOf(name) + 1;
    expect(map[at('chair')]).toBe(value('chair'));
    expect(map[at('sofa')]).toBe(value('sofa'));
    expect(map[at('tvmonitor')]).toBe(value('tv'));
    expect(map[at('person')]).toBe(value('person'));
    expect(map[at('dog')]).toBe(0);
    expect(toDepthLabels(Uint8Array.of(at('chair'), at('dog'), 255), map)).toEqual(Uint8Array.of(4, 0, 0));
    expect(segmentationDepthUnavailable(voc)).toMatch(/floor, wall, ceiling, ground or sky/);
  });
});
