// Depth of a photo from its superpixels' zoom-out features (docs/depth.md; thesis §5.5, image input): the
// trained ridge gives log metres per superpixel, painted to every pixel. A single photo fixes depth only up to
// scale; the absolute metres are those of the training photos (NYUv2's Kinect), which the intercept carries.
import type { DepthPhoto } from '../core/depthCrossValidation.ts';
import { fineTuneDepth } from '../core/depthFineTune.ts';
import type { DepthMap } from '../core/depthMap.ts';
import { predictRidge, type RidgeModel } from '../core/ridgeRegression.ts';
import { paintLogDepth } from '../core/superpixelDepth.ts';
import { DEPTH_POSITION_FEATURES } from '../core/superpixelPosition.ts';
import { depthFeatureRows, depthPenalty } from './depthFeatures.ts';
import type { DepthRegressorFile } from './depthManifest.ts';
import type { SuperpixelFeatures } from './segmentationEngine.ts';

export class DepthModel {
  private readonly ridge: RidgeModel;

  constructor(readonly file: DepthRegressorFile) {
    if (!Number.isInteger(file?.zoomoutWidth) || !Array.isArray(file.positionFeatures) || !Number.isFinite(file.intercept) || !Number.isFinite(file.smoothing)) {
      throw new Error('not a depth model (the shipped models/depth/ridge.json, or a fine-tuned one the studio exports)');
    }
    const dims = file.zoomoutWidth + DEPTH_POSITION_FEATURES.length;
    if (file.positionFeatures.join() !== DEPTH_POSITION_FEATURES.join()) throw new Error(`the depth model's position features (${file.positionFeatures.join(', ')}) are not this version's`);
    for (const key of ['mean', 'scale', 'weights'] as const) {
      if (file[key].length !== dims) throw new Error(`the depth model's ${key} has ${file[key].length} values, expected ${dims}`);
    }
    this.ridge = { mean: Float64Array.from(file.mean), scale: Float64Array.from(file.scale), weights: Float64Array.from(file.weights), intercept: file.intercept };
  }

  static fromBytes(bytes: ArrayBuffer): DepthModel {
    return new DepthModel(JSON.parse(new TextDecoder().decode(bytes)) as DepthRegressorFile);
  }

  /**
   * This model fine-tuned on photos with measured depth (their depth feature rows, core/depthFineTune.ts): a file
   * like the shipped one, the same columns and smoothing; λ is how firmly it keeps these weights.
   */
  fineTuned(photos: readonly DepthPhoto[], lambda: number): DepthRegressorFile {
    const tuned = fineTuneDepth(this.ridge, photos, { lambda, penalty: depthPenalty(this.file.zoomoutWidth) });
    return { ...this.file, weights: Array.from(tuned.weights), intercept: tuned.intercept };
  }

  /** Log metres per superpixel of `photo`. */
  async predictLogDepth(photo: SuperpixelFeatures): Promise<Float64Array> {
    const { rows, dims } = await depthFeatureRows(photo);
    return this.logDepthOfRows(rows, dims, photo.map.count);
  }

  /** Log metres per row of depth features (`depthFeatureRows`), for a caller that already built them. */
  logDepthOfRows(rows: Float32Array, dims: number, count: number): Float64Array {
    const zoomoutWidth = dims - DEPTH_POSITION_FEATURES.length;
    if (zoomoutWidth !== this.file.zoomoutWidth) {
      throw new Error(`the depth model reads ${this.file.zoomoutWidth} zoom-out features, the photo has ${zoomoutWidth} (another backbone or feature setting)`);
    }
    return predictRidge(this.ridge, rows, count);
  }

  /** Metres per pixel at the superpixel map's size, smoothed as the model was chosen with. */
  async predict(photo: SuperpixelFeatures): Promise<DepthMap> {
    return paintLogDepth(photo.map, await this.predictLogDepth(photo), this.file.smoothing);
  }
}
