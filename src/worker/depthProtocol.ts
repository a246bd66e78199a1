// Requests about depth (thesis §5.5; docs/depth.md): the depth regression's log depth per superpixel of a photo,
// and depth read from a segmentation alone.
export interface DepthResult {
  /** The superpixel map the values are for. */
  mapId: number;
  /** Log metres per superpixel (the training photos' absolute scale). */
  logDepth: Float32Array;
  /** The model's smoothing of the painted depth (a fraction of the width; core/superpixelDepth.ts). */
  smoothing: number;
  /** Time the worker spent (features come from the segmentation's cache when it has them). */
  ms: number;
}

export interface SegmentationDepthResult {
  /** Metres per pixel of the map sent, at its size (the scale of the procedural rooms the net learnt). */
  metres: Float32Array;
  ms: number;
}

export interface DepthRequests {
  /**
   * `refresh`: the photo's depth is shown and its superpixels changed (another k): answered ahead of the
   * segmentation the change also asks for (issue 9: the preview within 200 ms), rather than after it as a
   * background preview waits. A dropped photo's first depth stays behind its first segmentation.
   */
  depth: { req: { photoId: string; refresh?: boolean }; res: DepthResult };
  /** Depth of a segmentation given as NYUv2 label values (0 unlabelled, 1..13; core/nyuClasses.ts), at its size. */
  'segmentation-depth': { req: { width: number; height: number; classes: Uint8Array }; res: SegmentationDepthResult };
}
