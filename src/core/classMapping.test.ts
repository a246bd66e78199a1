import { describe, expect, it } from 'vitest';
import manifest from '../../models/backbone.manifest.json';
import { CLASS_ALIASES, classKey, invertIndexMap, isIdentityMap, mapLabelSet, presentClasses, remapClassMap, remapStrokes } from './classMapping.ts';
import { cocoLabelSet, VOC_CLASSES, vocLabelSet } from './labelSets.ts';
import { ERASE, type Stroke } from './strokes.ts';
import { IGNORE_LABEL, type LabelSet } from './types.ts';

const coco = cocoLabelSet(manifest.heatmaps.classes);
const voc = vocLabelSet();
const indexOf = (set: LabelSet, name: string) => set.classes.findIndex((c) => c.name === name);

describe('classKey', () => {
  it('equals for the same class under VOC and COCO spellings, case and spacing aside', () => {
    for (const group of CLASS_ALIASES) for (const name of group) expect(classKey(name)).toBe(classKey(group[0]));
    expect(classKey('Dining Table')).toBe(classKey('diningtable'));
    expect(classKey('potted_plant')).toBe(classKey('pottedplant'));
    expect(classKey('person')).not.toBe(classKey('bird'));
  });
});

describe('mapLabelSet', () => {
  it('maps every VOC class to its COCO counterpart by name, person to person', () => {
    const { labelSet, indexMap, appended } = mapLabelSet(voc, coco);
    expect(appended).toEqual([]);
    expect(labelSet).toEqual(coco);
    expect(coco.classes[0].name).toBe('background');
    expect(indexMap[15]).toBe(indexOf(coco, 'person'));
    expect(coco.classes[indexMap[15]].name).toBe('person');
    const renamed: Record<string, string> = { aeroplane: 'airplane', motorbike: 'motorcycle', sofa: 'couch', tvmonitor: 'tv', diningtable: 'dining table', pottedplant: 'potted plant' };
    VOC_CLASSES.forEach((name, i) => {
      expect(indexMap[i]).toBeGreaterThanOrEqual(0);
      expect(coco.classes[indexMap[i]].name).toBe(renamed[name] ?? name);
    });
    expect(indexMap[IGNORE_LABEL]).toBe(IGNORE_LABEL);
  });

  it('appends classes the new set lacks, with their name and colour, unless told to drop them', () => {
    const { labelSet, indexMap, appended } = mapLabelSet(coco, voc);
    expect(labelSet.id).toBe('custom');
    expect(labelSet.classes.slice(0, 21)).toEqual(voc.classes);
    expect(appended).toContain('truck');
    const truck = indexOf(coco, 'truck');
    expect(labelSet.classes[indexMap[truck]]).toEqual(coco.classes[truck]);
    expect(indexMap[indexOf(coco, 'person')]).toBe(15);
    expect(indexMap[indexOf(coco, 'airplane')]).toBe(1);

    const onlyTruck = mapLabelSet(coco, voc, (i) => i === truck);
    expect(onlyTruck.appended).toEqual(['truck']);
    expect(onlyTruck.labelSet.classes).toHaveLength(22);
    expect(onlyTruck.indexMap[truck]).toBe(21);
    expect(onlyTruck.indexMap[indexOf(coco, 'zebra')]).toBe(IGNORE_LABEL);
  });

  it('keeps the target id when nothing is appended and refuses more than 255 classes', () => {
    expect(mapLabelSet(voc, voc).labelSet.id).toBe('voc');
    expect(isIdentityMap(mapLabelSet(voc, voc).indexMap, 21)).toBe(true);
    const many: LabelSet = { id: 'custom', classes: Array.from({ length: 200 }, (_, i) => ({ name: `c${i}`, color: '#000000' })) };
    expect(() => mapLabelSet(many, coco)).toThrow(RangeError);
  });

  it('inverts to the first old class of each new one', () => {
    const { indexMap } = mapLabelSet(voc, coco);
    const back = invertIndexMap(indexMap);
    for (let i = 0; i < 21; i++) expect(back[indexMap[i]]).toBe(i);
    expect(back[indexOf(coco, 'truck')]).toBe(IGNORE_LABEL);
    expect(back[IGNORE_LABEL]).toBe(IGNORE_LABEL);
  });
});

describe('remapping the work', () => {
  const { indexMap } = mapLabelSet(voc, coco);

  it('moves strokes to the new indices and leaves the eraser alone', () => {
    const strokes: Stroke[] = [
      { classIndex: 15, radius: 3, points: [1, 2] },
      { classIndex: ERASE, radius: 3, points: [1, 2] },
      { classIndex: 0, radius: 1, points: [5, 5] },
    ];
    const out = remapStrokes(strokes, indexMap);
    expect(out.map((s) => s.classIndex)).toEqual([indexOf(coco, 'person'), ERASE, 0]);
    expect(out[0].points).toEqual([1, 2]);
    expect(strokes[0].classIndex).toBe(15);
    // Unchanged strokes are the same array, so autosave does not write them again.
    const bg = [strokes[2]];
    expect(remapStrokes(bg, indexMap)).toBe(bg);
  });

  it('maps a class map value by value, ignore stays ignore', () => {
    const mask = new Uint8Array([0, 15, 255, 1, 15]);
    const out = remapClassMap(mask, indexMap);
    expect([...out]).toEqual([0, indexOf(coco, 'person'), 255, indexOf(coco, 'airplane'), indexOf(coco, 'person')]);
    expect(presentClasses(out)).toEqual([0, indexOf(coco, 'person'), indexOf(coco, 'airplane')].sort((a, b) => a - b));
  });
});
