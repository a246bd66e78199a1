import { describe, expect, it } from 'vitest';
import { seededRandom } from './clickProtocol.ts';
import { gridCellOfPixel, gridLabels, sampleLabelledCells } from './pixelGrid.ts';

describe('pixel grid', () => {
  it('maps each pixel to the cell its stride-4 input block came from', () => {
    // An 8×4 image on a 2×1 grid: the left half is cell 0, the right half cell 1.
    const cells = gridCellOfPixel(8, 4, { cols: 2, rows: 1 });
    expect(Array.from(cells.slice(0, 8))).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    // 5 pixels over 2 columns: every pixel in exactly one cell, cells contiguous and in order.
    expect(Array.from(gridCellOfPixel(5, 1, { cols: 2, rows: 1 }))).toEqual([0, 0, 0, 1, 1]);
  });

  it('labels a cell with the majority of its labelled pixels and leaves unlabelled cells at -1', () => {
    const map = Uint8Array.from([
      3, 3, 255, 255,
      3, 7, 255, 255,
    ]);
    expect(Array.from(gridLabels(map, 4, 2, { cols: 2, rows: 1 }))).toEqual([3, -1]);
  });

  it('samples labelled cells only, without repeats, deterministically per seed', () => {
    const labels = Int32Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? -1 : i % 5));
    const a = sampleLabelledCells(labels, 20, seededRandom(4));
    expect(a).toHaveLength(20);
    expect(new Set(a).size).toBe(20);
    expect(Array.from(a).every((i) => labels[i] >= 0)).toBe(true);
    expect(Array.from(sampleLabelledCells(labels, 20, seededRandom(4)))).toEqual(Array.from(a));
    expect(sampleLabelledCells(labels, 1000, seededRandom(1))).toHaveLength(labels.filter((y) => y >= 0).length);
  });
});
