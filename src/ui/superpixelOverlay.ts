// Pictures of a label map for the viewer: boundaries, mean colours, random colours and class-index masks
// (ground truth, predicted labels, strokes).
// Pure functions returning plain RGBA buffers (not ImageData) so they run and are tested outside a browser.
import { boundaryMap } from '../core/segmentationMetrics.ts';
import { IGNORE_LABEL } from '../core/types.ts';
import type { Rgb } from '../core/labelSets.ts';

export interface OverlayPixels {
  width: number;
  height: number;
  data: Uint8ClampedArray<ArrayBuffer>;
}

/** For drawing; the builders stay DOM-free so they are tested in Node. */
export function toImageData(p: OverlayPixels): ImageData {
  return new ImageData(p.data, p.width, p.height);
}

function blank(width: number, height: number, labels: ArrayLike<number>): OverlayPixels {
  if (labels.length !== width * height) throw new RangeError(`label map has ${labels.length} pixels, expected ${width}×${height}`);
  return { width, height, data: new Uint8ClampedArray(width * height * 4) };
}

/**
 * Opaque `colour` on every pixel whose right or lower neighbour carries another label, transparent elsewhere:
 * lines one pixel thin, so every label change is marked exactly once.
 */
export function boundaryOverlay(labels: Int32Array, width: number, height: number, colour: Rgb = [255, 230, 0]): OverlayPixels {
  const out = blank(width, height, labels);
  const edge = boundaryMap(labels, width, height);
  for (let p = 0; p < edge.length; p++) {
    if (!edge[p]) continue;
    out.data.set(colour, p * 4);
    out.data[p * 4 + 3] = 255;
  }
  return out;
}

/** Every pixel in its label's colour from `table` (RGB interleaved per label). */
function fillByLabel(labels: Int32Array, width: number, height: number, table: ArrayLike<number>): OverlayPixels {
  const out = blank(width, height, labels);
  for (let p = 0; p < labels.length; p++) {
    const l = labels[p] * 3;
    out.data[p * 4] = table[l];
    out.data[p * 4 + 1] = table[l + 1];
    out.data[p * 4 + 2] = table[l + 2];
    out.data[p * 4 + 3] = 255;
  }
  return out;
}

/** Each superpixel filled with its mean RGB (`meanColors` interleaved, 0..255), the picture SLIC "sees". */
export function meanColourOverlay(labels: Int32Array, width: number, height: number, meanColors: Float32Array): OverlayPixels {
  return fillByLabel(labels, width, height, meanColors);
}

/** A bright colour per label from a hash of the label, so a label keeps its colour across recomputations. */
export function labelColour(label: number): Rgb {
  let h = Math.imul(label + 1, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  // Channels kept in 64..255 so no superpixel turns near-black on a dark photo.
  return [64 + (h & 0xbf), 64 + ((h >>> 8) & 0xbf), 64 + ((h >>> 16) & 0xbf)];
}

export function randomColourOverlay(labels: Int32Array, width: number, height: number, count: number): OverlayPixels {
  const table = new Uint8Array(count * 3);
  for (let l = 0; l < count; l++) table.set(labelColour(l), l * 3);
  return fillByLabel(labels, width, height, table);
}

/** A class-index mask in `palette` colours (VOC's for ground truth); ignored pixels stay transparent. */
export function classIndexOverlay(classes: Uint8Array, width: number, height: number, palette: readonly Rgb[]): OverlayPixels {
  const out = blank(width, height, classes);
  // One 32-bit write per pixel from a 256-entry table (in the platform's byte order): a per-pixel
  // TypedArray.set of an RGB array cost 20 ms a stroke for a 500×375 photo.
  const table = new Uint32Array(256);
  const bytes = new Uint8Array(table.buffer);
  for (let c = 0; c < 256; c++) {
    if (c === IGNORE_LABEL) continue;
    bytes.set([...(palette[c] ?? [255, 255, 255]), 255], c * 4);
  }
  const pixels = new Uint32Array(out.data.buffer);
  for (let p = 0; p < classes.length; p++) pixels[p] = table[classes[p]];
  return out;
}
