// Thesis §3.5: pixel mode. A classifier per cell of the stride-4 grid over pixel-level zoom-out features — the
// superpixel head's dense layers are its 1×1 convolutions — trained with the same asymmetric loss and inverse
// class frequencies (trainHead.ts) on cells sampled from the label sources; its scores are upsampled
// bilinearly to full resolution (§3.5.1).
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../core/clickProtocol.ts';
import { sampleLabelledCells } from '../core/pixelGrid.ts';
import { levelMask, type TrainedHead } from './classifierHead.ts';
import { pixelMoments, pixelRows, toGrid, type PixelSources } from './pixelFeatures.ts';
import type { PixelView } from './pixelViews.ts';
import { trainHead, type TrainOptions } from './trainHead.ts';
import { mergeMoments, standardizationFromMoments, type ColumnMoments } from './zoomoutFeatures.ts';

export interface PixelPhoto {
  sources: PixelSources;
  /** Class per grid cell (core/pixelGrid.ts: gridLabels), -1 where no label source says anything. */
  labels: Int32Array;
  /** Loss weight of this photo's cells (default 1). */
  weight?: number;
  /** pixelMoments(sources), when the caller keeps them (the studio's worker, per photo). */
  moments?: ColumnMoments;
}

export interface PixelTrainOptions extends Omit<TrainOptions, 'exampleWeights' | 'standardization'> {
  /** Labelled cells drawn per photo: a mask labels ~12k, and neighbouring cells repeat each other. */
  cellsPerPhoto?: number;
}

export const PIXEL_CELLS_PER_PHOTO = 1000;

/**
 * One head on the labelled cells of every photo. Standardization covers every cell of every photo given,
 * labelled or not, as the superpixel engine's covers every superpixel.
 */
export async function trainPixelHead(photos: readonly PixelPhoto[], classes: number, options: PixelTrainOptions = {}): Promise<TrainedHead> {
  if (photos.length === 0) throw new Error('no photos to train on');
  const { layout } = photos[0].sources;
  const random = seededRandom(options.seed ?? 1);
  const standardization = standardizationFromMoments(mergeMoments(await Promise.all(photos.map((p) => p.moments ?? pixelMoments(p.sources)))), layout);
  const parts = photos.map((p) => {
    const cells = sampleLabelledCells(p.labels, options.cellsPerPhoto ?? PIXEL_CELLS_PER_PHOTO, random);
    return { p, cells, ys: Int32Array.from(cells, (c) => p.labels[c]) };
  });
  const used = parts.filter((u) => u.cells.length > 0);
  if (used.length === 0) throw new Error('no labelled cells to train on');
  const rows = tf.tidy(() => tf.concat(used.map((u) => pixelRows(u.p.sources, u.cells))) as tf.Tensor2D);
  try {
    const labels = Int32Array.from(used.flatMap((u) => Array.from(u.ys)));
    const weights = Float32Array.from(used.flatMap((u) => Array.from(u.ys, () => u.p.weight ?? 1)));
    return await trainHead(rows, layout, labels, classes, { ...options, standardization, exampleWeights: weights });
  } finally {
    rows.dispose();
  }
}

/**
 * [rows · cols, units] pre-activations of the head's first layer on the grid. Standardization and the level mask
 * are folded into that layer, which is applied to each map at its own resolution and then upsampled: bilinear
 * upsampling is linear, so this equals the layer on upsampled hypercolumns, at a fraction of the multiplications.
 */
export function firstLayerOnGrid(model: TrainedHead, s: PixelSources): tf.Tensor2D {
  if (s.layout.width !== model.layout.width) throw new Error(`pixel features have ${s.layout.width} columns, the head expects ${model.layout.width}`);
  return tf.tidy(() => {
    const { mean, scale } = model.standardization;
    const mask = levelMask(model.layout, model.levels);
    const factor = Float32Array.from(scale, (v, c) => v * mask[c]);
    const first = model.head.firstLayer();
    const kernel = tf.mul(first.kernel, tf.tensor2d(factor, [factor.length, 1])) as tf.Tensor2D;
    const offset = tf.matMul(tf.tensor2d(mean, [1, mean.length]), kernel);
    const units = kernel.shape[1];
    const blocks = s.layout.blocks;
    let sum = tf.sub(first.bias, offset) as tf.Tensor;
    s.maps.forEach((m, i) => {
      const [, h, w, c] = m.map.shape;
      const w0 = tf.slice(kernel, [blocks[i].start, 0], [c, units]);
      const projected = tf.reshape(tf.matMul(tf.reshape(m.map, [h * w, c]), w0), [1, h, w, units]) as tf.Tensor4D;
      sum = tf.add(sum, tf.reshape(toGrid(projected, s.grid), [s.grid.rows * s.grid.cols, units]));
    });
    const scene = blocks[blocks.length - 1];
    return tf.add(sum, tf.matMul(tf.expandDims(s.scene, 0), tf.slice(kernel, [scene.start, 0], [scene.end - scene.start, units]))) as tf.Tensor2D;
  });
}

/** [rows, cols, classes] logits on the grid. */
export function pixelLogits(model: TrainedHead, s: PixelSources): tf.Tensor3D {
  return tf.tidy(() => {
    const logits = model.head.logitsAfterFirstLayer(firstLayerOnGrid(model, s));
    return tf.reshape(logits, [s.grid.rows, s.grid.cols, logits.shape[1]]) as tf.Tensor3D;
  });
}

/**
 * Class per pixel at `width × height`, and its probability: the grid's class probabilities upsampled bilinearly
 * (§3.5.1). Given several views (pixelViews.ts: scales, mirrors), each view's probabilities are un-mirrored,
 * upsampled to the photo's size and averaged.
 */
export async function labelPixels(model: TrainedHead, views: PixelSources | readonly PixelView[], width: number, height: number): Promise<{ classes: Uint8Array; confidence: Float32Array }> {
  const list: readonly PixelView[] = 'grid' in views ? [{ sources: views, mirrored: false }] : views;
  if (list.length === 0) throw new Error('no view to label');
  const [best, top] = tf.tidy(() => {
    const each = list.map((v) => {
      const grid = tf.softmax(pixelLogits(model, v.sources)) as tf.Tensor3D;
      return tf.image.resizeBilinear(v.mirrored ? (tf.reverse(grid, 1) as tf.Tensor3D) : grid, [height, width], false, true);
    });
    const probabilities = each.length === 1 ? each[0] : tf.div(tf.addN(each), each.length);
    return [tf.argMax(probabilities, 2), tf.max(probabilities, 2)];
  });
  const [classes, confidence] = [Uint8Array.from((await best.data()) as Int32Array), (await top.data()) as Float32Array];
  tf.dispose([best, top]);
  return { classes, confidence };
}
