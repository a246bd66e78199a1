import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { boxToWindow, classRegion, nearestWindows, windowDistance, windowToBox, type CodeGrid } from './labelSpaceSearch.ts';
import { decodeIndexPng } from './pngCodec.ts';
import { resizeNearest } from './resizeNearest.ts';
import { sharedDataPath } from './testData.ts';

function vocMap(id: string, width: number, height: number): Uint8Array {
  const png = decodeIndexPng(readFileSync(sharedDataPath('voc2012-masks', 'SegmentationClass', id)));
  return resizeNearest(png.values, png.width, png.height, width, height);
}

/** Grows the region by whole sweeps until nothing changes: slow, obviously a connected component. */
function slowRegion(classes: Uint8Array, width: number, height: number, start: number): Uint8Array {
  const inside = new Uint8Array(classes.length);
  inside[start] = 1;
  for (let changed = true; changed; ) {
    changed = false;
    for (let p = 0; p < classes.length; p++) {
      if (inside[p] || classes[p] !== classes[start]) continue;
      const x = p % width;
      const y = Math.floor(p / width);
      const touches = (x > 0 && inside[p - 1]) || (x < width - 1 && inside[p + 1]) || (y > 0 && inside[p - width]) || (y < height - 1 && inside[p + width]);
      if (touches) {
        inside[p] = 1;
        changed = true;
      }
    }
  }
  return inside;
}

/** A code a label map determines (not the autoencoder's): per cell and class, the fraction of the map it covers. */
function codesOf(map: Uint8Array, width: number, height: number, rows: number, cols: number): CodeGrid {
  const channels = 21;
  const values = new Float32Array(rows * cols * channels);
  for (let p = 0; p < map.length; p++) {
    if (map[p] >= channels) continue;
    const r = Math.floor((Math.floor(p / width) * rows) / height);
    const c = Math.floor(((p % width) * cols) / width);
    values[(r * cols + c) * channels + map[p]] += (rows * cols) / map.length;
  }
  return { rows, cols, channels, values };
}

describe('label-space search', () => {
  it('classRegion finds the same component and box as a slow sweep, on a real VOC map', () => {
    const [w, h] = [100, 75];
    const map = vocMap('2007_000033.png', w, h);
    for (const [x, y] of [
      [50, 37],
      [5, 5],
      [80, 60],
      [30, 20],
    ]) {
      const region = classRegion(map, w, h, x, y);
      const inside = slowRegion(map, w, h, y * w + x);
      let size = 0;
      const box = { x0: w, y0: h, x1: 0, y1: 0 };
      inside.forEach((v, p) => {
        if (!v) return;
        size++;
        box.x0 = Math.min(box.x0, p % w);
        box.x1 = Math.max(box.x1, (p % w) + 1);
        box.y0 = Math.min(box.y0, Math.floor(p / w));
        box.y1 = Math.max(box.y1, Math.floor(p / w) + 1);
      });
      expect(region).toEqual({ classIndex: map[y * w + x], size, box });
    }
    expect(() => classRegion(map, w, h, w, 0)).toThrow(RangeError);
  });

  it('a box’s window of cells covers the box, and the window’s box maps back to the same window', () => {
    const grid = { rows: 6, cols: 6 };
    for (const [w, h] of [
      [500, 375],
      [375, 500],
      [97, 61],
    ]) {
      for (const box of [
        { x0: 0, y0: 0, x1: w, y1: h },
        { x0: 10, y0: 20, x1: 11, y1: 21 },
        { x0: Math.floor(w / 3), y0: Math.floor(h / 2), x1: w - 1, y1: h },
      ]) {
        const win = boxToWindow(box, w, h, grid);
        const cover = windowToBox(win, w, h, grid);
        expect(cover.x0).toBeLessThanOrEqual(box.x0);
        expect(cover.y0).toBeLessThanOrEqual(box.y0);
        expect(cover.x1).toBeGreaterThanOrEqual(box.x1);
        expect(cover.y1).toBeGreaterThanOrEqual(box.y1);
        expect(win.row + win.rows).toBeLessThanOrEqual(6);
        expect(win.col + win.cols).toBeLessThanOrEqual(6);
        expect(boxToWindow(cover, w, h, grid)).toEqual(win);
      }
    }
  });

  it('nearestWindows: an identical map’s same window first at distance 0, no overlaps with the query or each other', () => {
    const [w, h] = [96, 96];
    const ids = ['2007_000033.png', '2007_000042.png', '2007_000061.png'];
    const grids = ids.map((id) => codesOf(vocMap(id, w, h), w, h, 6, 6));
    grids.push({ ...grids[0], values: grids[0].values.slice() });
    const query = { grid: 0, window: { row: 1, col: 2, rows: 2, cols: 3 } };
    const matches = nearestWindows(grids, query, 8);
    expect(matches[0]).toEqual({ grid: 3, window: query.window, distance: 0 });
    expect(matches).toHaveLength(8);
    for (let i = 1; i < matches.length; i++) expect(matches[i].distance).toBeGreaterThanOrEqual(matches[i - 1].distance);
    const taken = [query, ...matches];
    for (let i = 0; i < taken.length; i++) {
      for (let j = i + 1; j < taken.length; j++) {
        const [a, b] = [taken[i], taken[j]];
        if (a.grid !== b.grid) continue;
        const apart = a.window.row + a.window.rows <= b.window.row || b.window.row + b.window.rows <= a.window.row || a.window.col + a.window.cols <= b.window.col || b.window.col + b.window.cols <= a.window.col;
        expect(apart).toBe(true);
      }
    }
    for (const m of matches) expect(m.distance).toBeCloseTo(windowDistance(grids[0], query.window, grids[m.grid], m.window), 6);
  });
});
