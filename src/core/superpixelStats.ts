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
  const n = labels.length;
  // Boundaries repeat the same pair pixel after pixel; remembering the last one skips most Set work.
  let lastRight = -1;
  let lastDown = -1;
  for (let p = 0; p < n; p++) {
    const a = labels[p];
    if ((p + 1) % width !== 0) {
      const b = labels[p + 1];
      if (a !== b) {
        const key = a < b ? a * count + b : b * count + a;
        if (key !== lastRight) pairs.add((lastRight = key));
      }
    }
    if (p + width < n) {
      const b = labels[p + width];
      if (a !== b) {
        const key = a < b ? a * count + b : b * count + a;
        if (key !== lastDown) pairs.add((lastDown = key));
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
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const l = labels[p];
      if (l < 0 || l >= count) throw new RangeError(`label ${l} at pixel ${p} is outside 0..${count - 1}`);
      sizes[l]++;
      const s = l * 5;
      sums[s] += x;
      sums[s + 1] += y;
      sums[s + 2] += data[p * 4];
      sums[s + 3] += data[p * 4 + 1];
      sums[s + 4] += data[p * 4 + 2];
      const b = l * 4;
      if (x < boxes[b]) boxes[b] = x;
      if (y < boxes[b + 1]) boxes[b + 1] = y;
      if (x > boxes[b + 2]) boxes[b + 2] = x;
      if (y > boxes[b + 3]) boxes[b + 3] = y;
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
