// Key types named once and shared by core, ml, worker, state, ui and cli.

/** An RGBA image in row-major order (4 bytes per pixel), as ImageData and sharp's raw output give it. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

/** SLIC output (thesis §2.1.1.1): one label per pixel, labels 0..count-1, each a single 4-connected region. */
export interface SuperpixelMap {
  width: number;
  height: number;
  labels: Int32Array;
  count: number;
  /** CSR adjacency: neighbours of i are adjacencyIndex[adjacencyOffsets[i] .. adjacencyOffsets[i+1]). */
  adjacencyOffsets: Int32Array;
  adjacencyIndex: Int32Array;
  /** Pixels per superpixel. */
  sizes: Int32Array;
  /** Centroid (x, y) per superpixel, interleaved. */
  centroids: Float32Array;
  /** Bounding box (x0, y0, x1, y1) per superpixel, inclusive, interleaved. */
  boxes: Int32Array;
  /** Mean RGB (0..255) per superpixel, interleaved. */
  meanColors: Float32Array;
}

/** One class of a project's label set. */
export interface LabelClass {
  name: string;
  /** '#rrggbb' */
  color: string;
}

export interface LabelSet {
  id: string;
  classes: LabelClass[];
}

/** Index written into class-index masks for "no label / ignore" (VOC convention). */
export const IGNORE_LABEL = 255;
