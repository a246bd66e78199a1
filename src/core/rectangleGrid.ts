// The "rectangles" baseline of thesis Table 3.3: SLIC superpixels replaced by an equal number of rectangular
// regions, to measure how much following image boundaries matters.
import { buildSuperpixelMap } from './superpixelStats.ts';
import type { RgbaImage, SuperpixelMap } from './types.ts';

/** A grid of about `count` near-square rectangles covering `image` (at most one per pixel). */
export function rectangleGrid(image: RgbaImage, count: number): SuperpixelMap {
  const { width, height } = image;
  const cols = Math.min(width, Math.max(1, Math.round(Math.sqrt((count * width) / height))));
  const rows = Math.min(height, Math.max(1, Math.round(count / cols)));
  const labels = new Int32Array(width * height);
  for (let y = 0, p = 0; y < height; y++) {
    const row = Math.floor((y * rows) / height) * cols;
    for (let x = 0; x < width; x++, p++) labels[p] = row + Math.floor((x * cols) / width);
  }
  return buildSuperpixelMap(labels, rows * cols, image);
}
