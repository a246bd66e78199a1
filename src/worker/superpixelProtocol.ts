// Requests about superpixels: SLIC (or the rectangle baseline of thesis Table 3.3) over a photo's working copy.
/** The error when the worker holds no working copy of the photo (never analysed, or evicted from its cache). */
export const NO_WORKING_COPY = 'the worker holds no working copy of this photo (analyse it first)';

export type SuperpixelMode = 'slic' | 'rectangles';

export interface SuperpixelParams {
  /** Desired number of regions (both modes). */
  k: number;
  /** SLIC compactness m (ignored by rectangles). */
  m: number;
  mode: SuperpixelMode;
}

export interface SuperpixelResult extends SuperpixelParams {
  width: number;
  height: number;
  /** Region index per pixel of the working copy, 0..count-1 (a copy: the worker keeps its own). */
  labels: Int32Array;
  count: number;
  /** Mean RGB per region, interleaved, for the mean-colour overlay. */
  meanColors: Float32Array;
  /** Time the worker spent computing the regions and their statistics. */
  ms: number;
}

export interface SuperpixelRequests {
  superpixels: { req: SuperpixelParams & { photoId: string }; res: SuperpixelResult };
}
