import { describe, expect, it } from 'vitest';
import { clicksToScribbles, simulateClicks } from './clickProtocol.ts';

describe('click protocol', () => {
  // 4×3 mask: class 0 on the left, class 7 on the right, 255 in the middle column.
  const mask = Uint8Array.from([0, 0, 255, 7, 0, 0, 255, 7, 0, 0, 255, 7]);

  it('draws P pixels of each class present, never ignored ones, deterministically', () => {
    const a = simulateClicks(mask, 4, 3, 2, 42);
    expect(a).toEqual(simulateClicks(mask, 4, 3, 2, 42));
    expect(a.filter((c) => c.classIndex === 0)).toHaveLength(2);
    expect(a.filter((c) => c.classIndex === 7)).toHaveLength(2);
    for (const c of a) expect(mask[c.y * 4 + c.x]).toBe(c.classIndex);
    expect(new Set(a.map((c) => c.y * 4 + c.x)).size).toBe(4);
  });

  it('takes every pixel of a class smaller than P', () => {
    const clicks = simulateClicks(mask, 4, 3, 5, 1);
    expect(clicks.filter((c) => c.classIndex === 7)).toHaveLength(3);
    expect(clicks.filter((c) => c.classIndex === 0)).toHaveLength(5);
  });

  it('draws clicks into a scribble map with 255 elsewhere', () => {
    const s = clicksToScribbles([{ x: 1, y: 2, classIndex: 3 }], 4, 3);
    expect(s[9]).toBe(3);
    expect(s.filter((v) => v === 255)).toHaveLength(11);
  });
});
