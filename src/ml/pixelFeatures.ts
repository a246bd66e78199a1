// Thesis §3.5 (pixel-level zoom-out): every tap bilinearly upsampled to the stride-4 grid and concatenated per
// cell, a hypercolumn, with the scene vector (S2) and the detection maps of level H, as the superpixel rows
// have them. There is no sub-scene box (S1): that is a superpixel's own box. The full [cells × columns]
// matrix (12k × 1.9k for a 512-pixel input) is never built: rows are gathered for the cells a head trains on,
// and a head's first layer is applied at each map's own resolution before upsampling (pixelHead.ts).
import * as tf from '@tensorflow/tfjs';
import { modelInputSize } from '../core/modelInputSize.ts';
import type { GridSize } from '../core/pixelGrid.ts';
import type { RgbaImage } from '../core/types.ts';
import { Backbone, disposeOutputs, type BackboneOutputs } from './backbone.ts';
import type { LevelId, TapSpec } from './backboneManifest.ts';
import { ALL_LEVELS } from './levels.ts';
import { decodeDetections, detectionMaps, type Detection } from './zoomoutFeaturesDetections.ts';
import { columnMoments, type ColumnMoments, type FeatureLayout } from './zoomoutFeatures.ts';

interface SourceMap {
  level: LevelId;
  name: string;
  /** [1, h, w, channels] at the map's own stride. */
  map: tf.Tensor4D;
}

/** The thesis's pixel classifier works at ¼ resolution; the stride-2 tap is averaged down to it. */
export const GRID_STRIDE = 4;

/** One photo's maps for pixel mode; owns its tensors (taps are cheap clones of the pass's). */
export interface PixelSources {
  grid: GridSize;
  maps: SourceMap[];
  scene: tf.Tensor1D;
  /** Columns: the maps in order, then the scene vector. */
  layout: FeatureLayout;
}

/** The pass's maps for pixel mode; `detections` adds their box maps to level H. The outputs stay the caller's. */
export function pixelSources(outputs: BackboneOutputs, taps: readonly TapSpec[], detections?: readonly Detection[]): PixelSources {
  const [, h, w] = outputs.taps[0].shape;
  const rows = (h * taps[0].stride) / GRID_STRIDE;
  const cols = (w * taps[0].stride) / GRID_STRIDE;
  const maps: SourceMap[] = taps.map((t, i) => ({ level: t.level, name: t.node, map: tf.clone(outputs.taps[i]) }));
  if (detections) {
    const [, h, w, c] = outputs.keypoints.shape;
    maps.push({ level: 'H', name: 'detections', map: detectionMaps(detections, h, w, c) });
  }
  maps.sort((a, b) => ALL_LEVELS.indexOf(a.level) - ALL_LEVELS.indexOf(b.level));
  const blocks = [];
  let start = 0;
  for (const m of maps) {
    blocks.push({ level: m.level, name: m.name, start, end: start + m.map.shape[3] });
    start += m.map.shape[3];
  }
  blocks.push({ level: 'S2' as const, name: 'scene', start, end: start + outputs.scene.shape[0] });
  return { grid: { cols, rows }, maps, scene: tf.clone(outputs.scene), layout: { blocks, width: start + outputs.scene.shape[0] } };
}

export interface PixelSourceOptions {
  longSide?: number;
  detections?: boolean;
  /** The photo mirrored left-right before the pass (flip inference, §3.5.1): maps and boxes are of the mirror. */
  mirrored?: boolean;
}

/** One backbone pass over a photo at the superpixel engine's input size, its detections decoded when asked. */
export async function photoPixelSources(backbone: Backbone, image: RgbaImage, options: PixelSourceOptions = {}): Promise<PixelSources> {
  const { manifest } = backbone;
  const input = Backbone.prepareInput(image, modelInputSize(image.width, image.height, options.longSide ?? 512, manifest.input.sideMultiple), options.mirrored);
  const outputs = backbone.forward(input);
  input.dispose();
  try {
    const detections = options.detections ? await decodeDetections(outputs.keypoints, outputs.wh, manifest.heatmaps.stride) : undefined;
    return pixelSources(outputs, manifest.taps, detections);
  } finally {
    disposeOutputs(outputs);
  }
}

function sourceList(s: PixelSources): tf.Tensor[] {
  return [...s.maps.map((m) => m.map), s.scene];
}

export function disposePixelSources(s: PixelSources): void {
  tf.dispose(sourceList(s));
}

export function pixelSourceTensors(s: PixelSources): number {
  return sourceList(s).length;
}

/**
 * A [1, h, w, c] map at the grid's size, bilinear with half-pixel centres: a cell's value is read at its
 * centre's position in the coarser map (what `align_corners = false` upsampling in the thesis's nets does).
 */
export function toGrid(map: tf.Tensor4D, grid: GridSize): tf.Tensor4D {
  const [, h, w] = map.shape;
  return h === grid.rows && w === grid.cols ? tf.clone(map) : tf.image.resizeBilinear(map, [grid.rows, grid.cols], false, true);
}

/** Raw feature rows ([cells.length × layout.width]) of the given grid cells. */
export function pixelRows(s: PixelSources, cells: Int32Array): tf.Tensor2D {
  return tf.tidy(() => {
    const index = tf.tensor1d(cells, 'int32');
    const parts = s.maps.map((m) => tf.gather(tf.reshape(toGrid(m.map, s.grid), [-1, m.map.shape[3]]), index));
    parts.push(tf.tile(tf.expandDims(s.scene, 0), [cells.length, 1]));
    return tf.concat(parts, 1) as tf.Tensor2D;
  });
}

/** Per-column mean and variance over every cell of the photo (the scene's columns are constant within it). */
export async function pixelMoments(s: PixelSources): Promise<ColumnMoments> {
  const count = s.grid.cols * s.grid.rows;
  const mean = new Float32Array(s.layout.width);
  const variance = new Float32Array(s.layout.width);
  let offset = 0;
  for (const m of s.maps) {
    const rows = tf.tidy(() => tf.reshape(toGrid(m.map, s.grid), [count, m.map.shape[3]]) as tf.Tensor2D);
    const part = await columnMoments(rows);
    rows.dispose();
    mean.set(part.mean, offset);
    variance.set(part.variance, offset);
    offset += part.mean.length;
  }
  mean.set((await s.scene.data()) as Float32Array, offset);
  return { count, mean, variance };
}
