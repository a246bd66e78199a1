// YOLO segmentation export: traced with d3-contour, decoded by the scanline rasterizer, on synthetic holes and on
// coco-mini's VOC masks.
import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { vocLabelSet } from './labelSets.ts';
import { decodeIndexPng } from './pngCodec.ts';
import { sharedDataPath } from './testData.ts';
import { IGNORE_LABEL } from './types.ts';
import {
  parseYoloSegmentation, rasterizePolygons, traceClassPolygons, yoloClassesFile, yoloSegmentationTxt, yoloToClassMap,
} from './yoloPolygons.ts';

const RULES = ['evenodd', 'nonzero'] as const;

/** Pixels where the decoded map differs from the class map (background and ignore both decode to 0). */
function wrongPixels(classes: Uint8Array, back: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < classes.length; i++) if (back[i] !== (classes[i] === IGNORE_LABEL ? 0 : classes[i])) n++;
  return n;
}

/** Pairs of edges of one closed polygon that properly cross (each through the other's interior, not collinear). */
function properCrossings(points: number[]): number {
  const n = points.length / 2;
  const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) => Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
  let count = 0;
  for (let i = 0; i < n; i++) {
    const [ax, ay, bx, by] = [points[2 * i], points[2 * i + 1], points[(2 * i + 2) % (2 * n)], points[(2 * i + 3) % (2 * n)]];
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      const [cx, cy, dx, dy] = [points[2 * j], points[2 * j + 1], points[(2 * j + 2) % (2 * n)], points[(2 * j + 3) % (2 * n)]];
      if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx)) continue;
      if (Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) continue;
      if (orient(ax, ay, bx, by, cx, cy) * orient(ax, ay, bx, by, dx, dy) < 0 && orient(cx, cy, dx, dy, ax, ay) * orient(cx, cy, dx, dy, bx, by) < 0) count++;
    }
  }
  return count;
}

/** Bridges in a polygon: points that occur twice (each bridge repeats its two ends). */
function bridges(points: number[]): number {
  const seen = new Map<string, number>();
  for (let i = 0; i < points.length; i += 2) {
    const key = `${points[i]},${points[i + 1]}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen.values()].filter((c) => c > 1).length / 2;
}

/** A class map from rows of characters: '.' = 0, digits = classes. */
function grid(rows: string[]): { classes: Uint8Array; width: number; height: number } {
  const width = rows[0].length;
  const classes = Uint8Array.from(rows.join('').split(''), (ch) => (ch === '.' ? 0 : ch === '#' ? IGNORE_LABEL : Number(ch)));
  return { classes, width, height: rows.length };
}

function roundTrip({ classes, width, height }: { classes: Uint8Array; width: number; height: number }) {
  const txt = yoloSegmentationTxt(classes, width, height);
  for (const rule of RULES) expect(wrongPixels(classes, yoloToClassMap(txt, width, height, { rule })), rule).toBe(0);
  const polygons = traceClassPolygons(classes, width, height);
  for (const p of polygons) expect(properCrossings(p.points)).toBe(0);
  return { txt, polygons };
}

describe('YOLO segmentation export', () => {
  it('classes file: every class name in index order, background first', () => {
    const text = yoloClassesFile(vocLabelSet());
    expect(text.split('\n')).toHaveLength(22);
    expect(text.startsWith('background\naeroplane\nbicycle\n')).toBe(true);
    expect(text.endsWith('train\ntvmonitor\n')).toBe(true);
    expect(() => yoloClassesFile({ id: 'x', classes: [{ name: 'a\nb', color: '#000000' }] })).toThrow(/line break/);
  });

  it('one pixel is a diamond through the midpoints of its sides, normalized to 0..1', () => {
    const classes = new Uint8Array(16);
    classes[1 * 4 + 1] = 1;
    expect(yoloSegmentationTxt(classes, 4, 4)).toBe('1 0.5 0.375 0.375 0.25 0.25 0.375 0.375 0.5\n');
    expect(parseYoloSegmentation('1 0.5 0.375 0.375 0.25 0.25 0.375 0.375 0.5\n')).toEqual([
      { classIndex: 1, points: [0.5, 0.375, 0.375, 0.25, 0.25, 0.375, 0.375, 0.5] },
    ]);
    expect(() => parseYoloSegmentation('1 0.5 0.5 0.2')).toThrow(/line 1/);
  });

  it('a ring keeps its hole: one line, the hole bridged in, both fill rules leave it empty', () => {
    const ring = grid(['.....', '.222.', '.2.2.', '.222.', '.....']);
    const { txt, polygons } = roundTrip(ring);
    expect(txt.split('\n').filter(Boolean)).toHaveLength(1);
    expect(polygons).toHaveLength(1);
    expect(bridges(polygons[0].points)).toBe(1);
    // The bridge: (1, 2.75) on the outer ring to (2.25, 2.75) on the hole, walked there and back.
    expect(polygons[0].points).toEqual([4, 3.5, 4, 1.5, 3.5, 1, 1.5, 1, 1, 1.5, 1, 2.75, 2.25, 2.75, 2, 2.5, 2.5, 2, 3, 2.5, 2.5, 3, 2.25, 2.75, 1, 2.75, 1, 3.5, 1.5, 4, 3.5, 4]);
    expect(yoloToClassMap(txt, 5, 5)[2 * 5 + 2]).toBe(0);
  });

  it('nested islands, many holes per polygon, holes touching at corners, several classes', () => {
    const nested = grid([
      '...............',
      '.1111111111111.',
      '.1...........1.',
      '.1.111111111.1.',
      '.1.1.......1.1.',
      '.1.1.11111.1.1.',
      '.1.1.1...1.1.1.',
      '.1.1.1.1.1.1.1.',
      '.1.1.1...1.1.1.',
      '.1.1.11111.1.1.',
      '.1.1.......1.1.',
      '.1.111111111.1.',
      '.1...........1.',
      '.1111111111111.',
      '...............',
    ]);
    const { polygons } = roundTrip(nested);
    expect(polygons.map((p) => bridges(p.points))).toEqual([1, 1, 1, 0]); // three rings with a hole each, a core pixel

    const holes = grid([
      '3333333333333',
      '3.3.3.3333333',
      '3333333.33.33',
      '3.3.3.333.333',
      '33333333.3.33',
      '3.3.3.3333333',
      '3333333333333',
      '2222##2222222',
      '2..2##2.2.2.2',
      '2222##2222222',
    ]);
    const result = roundTrip(holes);
    const three = result.polygons.filter((p) => p.classIndex === 3);
    expect(three).toHaveLength(1);
    // Ten one-pixel holes, and four 0s touching at corners: one hole (the 1s around them meet only at corners).
    expect(bridges(three[0].points)).toBe(11);
    expect(result.polygons.filter((p) => p.classIndex === 2).map((p) => bridges(p.points))).toEqual([1, 3]);
  });

  it('random blobs of several classes round-trip exactly, with no edge crossing another', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 40; trial++) {
      const width = 8 + Math.floor(rand() * 40);
      const height = 8 + Math.floor(rand() * 30);
      // Smoothed noise, thresholded into 0..3: blobs with holes and islands, and isolated pixels.
      const noise = Float64Array.from({ length: width * height }, rand);
      const classes = new Uint8Array(width * height);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let s = 0;
          for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += noise[Math.min(height - 1, Math.max(0, y + dy)) * width + Math.min(width - 1, Math.max(0, x + dx))];
          classes[y * width + x] = Math.min(3, Math.floor((s / 9) * 4 + (rand() - 0.5) * 0.8 * (trial % 3)));
        }
      }
      roundTrip({ classes, width, height });
    }
  });

  it('rasterizes by pixel centres, each polygon on its own', () => {
    // A 2×2 square from (1, 1) to (3, 3) covers pixel centres 1.5 and 2.5 in both directions.
    const square = [1, 1, 3, 1, 3, 3, 1, 3];
    const mask = rasterizePolygons([square], 4, 4);
    expect([...mask]).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
    // Two overlapping polygons are joined, not cancelled.
    expect([...rasterizePolygons([square, [0, 0, 2, 0, 2, 2, 0, 2]], 4, 4)]).toEqual([1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('coco-mini VOC masks: every class comes back pixel for pixel (IoU 1) under both fill rules', async () => {
    const dir = sharedDataPath('coco-mini', 'voc_masks');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    expect(files).toHaveLength(25);
    let classesSeen = 0;
    let lines = 0;
    let holes = 0;
    for (const file of files) {
      const { width, height, values } = decodeIndexPng(await readFile(sharedDataPath('coco-mini', 'voc_masks', file)));
      const classes = Uint8Array.from(values);
      const txt = yoloSegmentationTxt(classes, width, height);
      for (const rule of RULES) {
        const back = yoloToClassMap(txt, width, height, { rule });
        for (const c of new Set(classes)) {
          if (c === 0 || c === IGNORE_LABEL) continue;
          let inter = 0;
          let union = 0;
          for (let i = 0; i < classes.length; i++) {
            const a = classes[i] === c;
            const b = back[i] === c;
            if (a && b) inter++;
            if (a || b) union++;
          }
          expect(inter / union, `${file} class ${c} ${rule}`).toBe(1);
          if (rule === 'evenodd') classesSeen++;
        }
        expect(wrongPixels(classes, back), `${file} ${rule}`).toBe(0);
      }
      const polygons = traceClassPolygons(classes, width, height);
      lines += polygons.length;
      for (const p of polygons) {
        holes += bridges(p.points);
        expect(properCrossings(p.points), file).toBe(0);
      }
      for (const { points } of parseYoloSegmentation(txt)) expect(points.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    expect(classesSeen).toBe(47);
    // Measured: 138 polygons (lines) with 10 holes bridged in between them.
    expect([lines, holes]).toEqual([138, 10]);
  });
});
