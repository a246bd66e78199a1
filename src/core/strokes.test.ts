import { describe, expect, it } from 'vitest';
import { ERASE, rasterizeStrokes, type Stroke } from './strokes.ts';
import { IGNORE_LABEL } from './types.ts';

/** Obviously correct: distance from each pixel centre to each segment of the polyline. */
function reference(strokes: Stroke[], width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height).fill(IGNORE_LABEL);
  const distToSegment = (px: number, py: number, ax: number, ay: number, bx: number, by: number) => {
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
    return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
  };
  for (const s of strokes) {
    const r = Math.max(0.5, s.radius);
    const p = s.points.length > 2 ? s.points : [...s.points, ...s.points];
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let i = 0; i + 3 < p.length; i += 2) if (distToSegment(x, y, p[i], p[i + 1], p[i + 2], p[i + 3]) <= r) out[y * width + x] = s.classIndex;
  }
  return out;
}

describe('rasterizeStrokes', () => {
  it('paints a click as the pixel under it', () => {
    const out = rasterizeStrokes([{ classIndex: 3, radius: 0, points: [4, 2] }], 8, 5);
    expect([...out].filter((v) => v !== IGNORE_LABEL)).toEqual([3]);
    expect(out[2 * 8 + 4]).toBe(3);
  });

  it('matches a per-pixel distance reference closely, later strokes and the eraser painting over', () => {
    const strokes: Stroke[] = [
      { classIndex: 1, radius: 3, points: [2, 2, 30, 10, 12, 25] },
      { classIndex: 2, radius: 1.5, points: [5, 20, 25, 3] },
      { classIndex: ERASE, radius: 2, points: [15, 15] },
    ];
    const fast = rasterizeStrokes(strokes, 32, 28);
    const slow = reference(strokes, 32, 28);
    let differ = 0;
    for (let i = 0; i < fast.length; i++) if (fast[i] !== slow[i]) differ++;
    // Stamping discs at half-radius steps approximates the swept disc: only rim pixels may differ.
    expect(differ / fast.length).toBeLessThan(0.01);
    expect(fast[15 * 32 + 15]).toBe(IGNORE_LABEL);
  });

  it('clips strokes at the border', () => {
    const out = rasterizeStrokes([{ classIndex: 0, radius: 4, points: [-3, -3, 2, 2] }], 6, 6);
    expect(out[0]).toBe(0);
    expect(out.length).toBe(36);
  });
});
