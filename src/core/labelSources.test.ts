import { describe, expect, it } from 'vitest';
import { combineLabelSources, maskSource, pointSource, strokeSource, type LabelSource } from './labelSources.ts';
import { rectangleGrid } from './rectangleGrid.ts';

// Four 2×2 superpixels on a 4×4 image: 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right.
const map = rectangleGrid({ width: 4, height: 4, data: new Uint8Array(64) }, 4);
const source = (labels: number[], hard: boolean, weight = 1): LabelSource => ({ kind: hard ? 'strokes' : 'points', labels: Int32Array.from(labels), weight, hard });

describe('label sources', () => {
  it('turns strokes, masks and points into per-superpixel labels', () => {
    const scribbles = new Uint8Array(16).fill(255);
    scribbles[0] = 3;
    expect(Array.from(strokeSource(map, scribbles).labels)).toEqual([3, -1, -1, -1]);
    const mask = Uint8Array.from([1, 1, 2, 2, 1, 0, 2, 2, 255, 255, 4, 4, 255, 255, 4, 255]);
    expect(Array.from(maskSource(map, mask).labels)).toEqual([1, 2, -1, 4]);
    const points = pointSource(map, [{ x: 3, y: 0, classIndex: 5 }, { x: 0.4, y: 3.4, classIndex: 6 }, { x: 9, y: 9, classIndex: 7 }]);
    expect(Array.from(points.labels)).toEqual([-1, 5, 6, 7]);
    expect(points.hard).toBe(false);
  });

  it('lets a hard source beat every soft one, and a later soft source beat an earlier one', () => {
    const c = combineLabelSources(4, [source([1, 1, -1, -1], false, 0.5), source([2, -1, -1, -1], true), source([-1, 3, 3, -1], false, 0.25)]);
    expect(Array.from(c.labels)).toEqual([2, 3, 3, -1]);
    expect(Array.from(c.weights)).toEqual([1, 0.25, 0.25, 0]);
    expect(Array.from(c.hard)).toEqual([2, -1, -1, -1]);
  });

  it('rejects a source made for another superpixel map', () => {
    expect(() => combineLabelSources(5, [source([1, 1, 1, 1], true)])).toThrow(RangeError);
  });
});
