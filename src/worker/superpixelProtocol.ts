// Requests about superpixels: SLIC (or the rectangle baseline of thesis Table 3.3) over a photo's working copy.
export type SuperpixelMode = 'slic' | 'rectangles';

export interface SuperpixelParams {
  /** Desired number of regions (both modes). */
  k: number;
  /** SLIC compactness m (ignored by rectangles). */
  m: number;
  mode: SuperpixelMode;
}

export interface SuperpixelResult extends SuperpixelParams {
  /** The worker's id of this map: per-superpixel results (segmentations) name the map they are for. */
  mapId: number;
  width: number;
  height: number;
  /** Region index per pixel of the working copy, 0..count-1 (a copy: the worker keeps its own). */
  labels: Int32Array;
  count: number;
  /** Mean RGB per region, interleaved, for the mean-colour overlay. */
  meanColors: Float32Array;
  /** Time the worker spent computing the regions and their statistics. */
  ms: number;
  /** What ran SLIC's clustering (WebAssembly unless its module failed to load). */
  engine: 'WebAssembly' | 'TypeScript';
}

export interface SuperpixelRequests {
  superpixels: { req: SuperpixelParams & { photoId: string }; res: SuperpixelResult };
}
