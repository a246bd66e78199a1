// Everything downstream needs about a label map besides the labels: sizes, centroids, boxes, mean colours and
// the region adjacency graph. Works for any dense label map (SLIC, the rectangle baseline, an imported map).
import type { RgbaImage, SuperpixelMap } from './types.ts';

/** CSR adjacency of a dense label map: labels are adjacent when two 4-neighbouring pixels carry them. */
export function labelAdjacency(
  labels: Int32Array,
  width: number,
  count: number,
): { adjacencyOffsets: Int32Array; adjacencyIndex: Int32Array } {
  const pairs = new Set<number>();
  const height = labels.length / width;
  // Boundaries repeat the same pair pixel after pixel; remembering the last one skips most Set work.
  let lastRight = -1;
  let lastDown = -1;
  for (let y = 0, p = 0; y < height; y++) {
    const below = y + 1 < height;
    for (let x = 0; x < width; x++, p++) {
      const a = labels[p];
      if (x + 1 < width) {
        const b = labels[p + 1];
        if (a !== b) {
          const key = a < b ? a * count + b : b * count + a;
          if (key !== lastRight) pairs.add((lastRight = key));
        }
      }
      if (below) {
        const b = labels[p + width];
        if (a !== b) {
          const key = a < b ? a * count + b : b * count + a;
          if (key !== lastDown) pairs.add((lastDown = key));
        }
      }
    }
  }
  const degree = new Int32Array(count + 1);
  for (const key of pairs) {
    degree[Math.floor(key / count)]++;
    degree[key % count]++;
  }
  const adjacencyOffsets = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) adjacencyOffsets[i + 1] = adjacencyOffsets[i] + degree[i];
  const adjacencyIndex = new Int32Array(adjacencyOffsets[count]);
  const fillAt = adjacencyOffsets.slice(0, count);
  for (const key of pairs) {
    const a = Math.floor(key / count);
    const b = key % count;
    adjacencyIndex[fillAt[a]++] = b;
    adjacencyIndex[fillAt[b]++] = a;
  }
  for (let i = 0; i < count; i++) adjacencyIndex.subarray(adjacencyOffsets[i], adjacencyOffsets[i + 1]).sort();
  return { adjacencyOffsets, adjacencyIndex };
}

/** A SuperpixelMap from dense labels 0..count-1 over `image` (same size); every label should occur. */
export function buildSuperpixelMap(labels: Int32Array, count: number, image: RgbaImage): SuperpixelMap {
  const { width, height, data } = image;
  if (labels.length !== width * height) throw new RangeError('label map and image differ in size');
  const sizes = new Int32Array(count);
  const sums = new Float64Array(count * 5);
  const boxes = new Int32Array(count * 4);
  for (let i = 0; i < count; i++) {
    boxes[i * 4] = width;
    boxes[i * 4 + 1] = height;
    boxes[i * 4 + 2] = -1;
    boxes[i * 4 + 3] = -1;
  }
  // Labels come in horizontal runs: sums, sizes and boxes are updated once per run, colours summed in locals.
  for (let y = 0, p = 0; y < height; y++) {
    let x = 0;
    while (x < width) {
      const l = labels[p];
      if (l < 0 || l >= count) throw new RangeError(`label ${l} at pixel ${p} is outside 0..${count - 1}`);
      const start = x;
      let r = 0;
      let g = 0;
      let b = 0;
      for (; x < width && labels[p] === l; x++, p++) {
        r += data[p * 4];
        g += data[p * 4 + 1];
        b += data[p * 4 + 2];
      }
      const length = x - start;
      sizes[l] += length;
      const s = l * 5;
      sums[s] += ((start + x - 1) * length) / 2;
      sums[s + 1] += y * length;
      sums[s + 2] += r;
      sums[s + 3] += g;
      sums[s + 4] += b;
      const o = l * 4;
      if (start < boxes[o]) boxes[o] = start;
      if (y < boxes[o + 1]) boxes[o + 1] = y;
      if (x - 1 > boxes[o + 2]) boxes[o + 2] = x - 1;
      if (y > boxes[o + 3]) boxes[o + 3] = y;
    }
  }
  const centroids = new Float32Array(count * 2);
  const meanColors = new Float32Array(count * 3);
  for (let l = 0; l < count; l++) {
    const size = sizes[l] || 1;
    const s = l * 5;
    centroids[l * 2] = sums[s] / size;
    centroids[l * 2 + 1] = sums[s + 1] / size;
    for (let c = 0; c < 3; c++) meanColors[l * 3 + c] = sums[s + 2 + c] / size;
  }
  return { width, height, labels, count, ...labelAdjacency(labels, width, count), sizes, centroids, boxes, meanColors };
}
