// Thesis §3.5: the pixel-level classifier labels the cells of the backbone's stride-4 grid. A cell covers the
// image pixels that the model input's 4×4 block came from; labels for a cell (from a mask or the user's
// strokes) are the majority of its labelled pixels, as a superpixel's are.
import { majorityVote } from './majorityVote.ts';

export interface GridSize {
  cols: number;
  rows: number;
}

/** Per image pixel, the index (row · cols + col) of the grid cell it falls in. */
export function gridCellOfPixel(width: number, height: number, grid: GridSize): Int32Array {
  const cells = new Int32Array(width * height);
  for (let y = 0, p = 0; y < height; y++) {
    const row = Math.floor((y * grid.rows) / height) * grid.cols;
    for (let x = 0; x < width; x++, p++) cells[p] = row + Math.floor((x * grid.cols) / width);
  }
  return cells;
}

/** Class per grid cell (the majority of its labelled pixels), -1 where a class-per-pixel map labels none of it. */
export function gridLabels(classMap: ArrayLike<number>, width: number, height: number, grid: GridSize): Int32Array {
  return majorityVote(gridCellOfPixel(width, height, grid), grid.cols * grid.rows, classMap);
}

/**
 * At most `max` of the labelled cells (label ≥ 0), drawn without replacement by `random`, in increasing order:
 * a whole mask labels thousands of cells, and neighbouring cells say nearly the same thing.
 */
export function sampleLabelledCells(labels: Int32Array, max: number, random: () => number): Int32Array {
  const labelled: number[] = [];
  labels.forEach((y, i) => y >= 0 && labelled.push(i));
  for (let i = 0; i < Math.min(max, labelled.length); i++) {
    const j = i + Math.floor(random() * (labelled.length - i));
    [labelled[i], labelled[j]] = [labelled[j], labelled[i]];
  }
  return Int32Array.from(labelled.slice(0, max)).sort();
}
