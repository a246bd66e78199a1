import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import manifest from '../../models/backbone.manifest.json';
import { cocoLabelSet, vocLabelSet } from '../core/labelSets.ts';
import { decodeIndexPng } from '../core/pngCodec.ts';
import { sharedDataPath } from '../core/testData.ts';
import { labelSpaceUnavailable } from './labelSpaceSlice.ts';

const vocMask = Uint8Array.from(decodeIndexPng(readFileSync(sharedDataPath('voc2012-masks', 'SegmentationClass', '2007_000033.png'))).values);

describe('labelSpaceUnavailable', () => {
  it('accepts a VOC segmentation (void included) under the VOC preset, with or without unused extra classes', () => {
    expect(labelSpaceUnavailable(vocLabelSet(), vocMask)).toBeUndefined();
    const extended = vocLabelSet();
    extended.classes.push({ name: 'tree', color: '#00ff00' });
    expect(labelSpaceUnavailable(extended, vocMask)).toBeUndefined();
    const recoloured = vocLabelSet();
    recoloured.classes[15] = { ...recoloured.classes[15], color: '#123456' };
    expect(labelSpaceUnavailable(recoloured, vocMask)).toBeUndefined();
  });

  it('says why for COCO, a renamed VOC class, or a segmentation using a class the model does not know', () => {
    expect(labelSpaceUnavailable(cocoLabelSet(manifest.heatmaps.classes), vocMask)).toMatch(/COCO/);
    const renamed = vocLabelSet();
    renamed.classes[15] = { ...renamed.classes[15], name: 'human' };
    expect(labelSpaceUnavailable(renamed, vocMask)).toMatch(/not VOC’s/);
    const extended = vocLabelSet();
    extended.classes.push({ name: 'tree', color: '#00ff00' });
    const withTree = vocMask.slice();
    withTree[0] = 21;
    expect(labelSpaceUnavailable(extended, withTree)).toMatch(/uses tree/);
  });
});
