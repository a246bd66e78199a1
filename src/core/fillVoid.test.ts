import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fillVoidNearest } from './fillVoid.ts';
import { decodeIndexPng } from './pngCodec.ts';
import { resizeNearest } from './resizeNearest.ts';
import { sharedDataPath } from './testData.ts';
import { IGNORE_LABEL } from './types.ts';

/** For each void pixel, every labelled pixel is visited: the classes at the smallest city-block distance. */
function nearestClasses(labels: ArrayLike<number>, width: number, p: number): Set<number> {
  const px = p % width;
  const py = Math.floor(p / width);
  let best = Infinity;
  let classes = new Set<number>();
  for (let q = 0; q < labels.length; q++) {
    if (labels[q] === IGNORE_LABEL) continue;
    const d = Math.abs((q % width) - px) + Math.abs(Math.floor(q / width) - py);
    if (d < best) {
      best = d;
      classes = new Set([labels[q]]);
    } else if (d === best) classes.add(labels[q]);
  }
  return classes;
}

describe('fillVoidNearest', () => {
  it('gives each void pixel of a real VOC map a class at the nearest labelled pixel, and keeps the rest', () => {
    const png = decodeIndexPng(readFileSync(sharedDataPath('voc2012-masks', 'SegmentationClass', '2007_000033.png')));
    const [w, h] = [60, 45];
    const labels = resizeNearest(png.values, png.width, png.height, w, h);
    const voids = labels.reduce((n, v) => n + (v === IGNORE_LABEL ? 1 : 0), 0);
    expect(voids).toBeGreaterThan(20);
    const filled = fillVoidNearest(labels, w, h);
    for (let p = 0; p < labels.length; p++) {
      if (labels[p] === IGNORE_LABEL) expect(nearestClasses(labels, w, p).has(filled[p])).toBe(true);
      else expect(filled[p]).toBe(labels[p]);
    }
  });

  it('fills an all-void map with background', () => {
    expect([...fillVoidNearest([255, 255, 255, 255], 2, 2)]).toEqual([0, 0, 0, 0]);
  });
});
