// Requests about edge refinement (thesis §2.1.2, docs/crf.md): the dense CRF turns the last segmentation of a
// photo, per superpixel, into labels per working-copy pixel that follow colour edges.
export interface RefineRequest {
  photoId: string;
  /** The segmentation run (PhotoSegmentation.run) to refine; an older or newer one is refused as stale. */
  run: number;
}

export interface RefineResult {
  /** The superpixel map the segmentation was for. */
  mapId: number;
  run: number;
  /** Class per working-copy pixel. */
  pixels: Uint8Array;
  /** Time the worker spent (the kernels are built once per photo). */
  ms: number;
}

export interface CrfRequests {
  refine: { req: RefineRequest; res: RefineResult };
}
