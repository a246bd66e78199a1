// Requests about label space (thesis §5.3.1, §5.4.3; docs/labelAutoencoder.md): a segmentation passed through
// the label autoencoder, and regions of segmentations compared by the autoencoder's bottleneck features.
import type { Box } from '../core/labelSpaceSearch.ts';

/** A segmentation per pixel in VOC class indices (255: unlabelled). */
export interface LabelMap {
  width: number;
  height: number;
  classes: Uint8Array;
}

export interface LabelSpaceViewResult {
  /** The map as the label autoencoder reconstructs it, class per pixel at the map's size. */
  reconstruction: Uint8Array;
  /** Agreement of the reconstruction with the map (the map scored as ground truth), in 0..1. */
  pixelAccuracy: number;
  meanIoU: number;
  ms: number;
}

export interface LabelSearchRequest {
  /** The query: the class region under pixel (x, y) of the photo `photoId` (one of `photos`). */
  query: { photoId: string; x: number; y: number };
  /** The segmentations searched, the query's included. */
  photos: { photoId: string; map: LabelMap }[];
  count: number;
}

export interface LabelSearchMatch {
  photoId: string;
  /** The region found, in pixels of that photo's map. */
  box: Box;
  /** Root mean square difference of the bottleneck codes. */
  distance: number;
}

export interface LabelSearchResult {
  query: {
    classIndex: number;
    /** The class region's bounding box, and the (coarser) box of bottleneck cells that represents it. */
    region: Box;
    box: Box;
  };
  matches: LabelSearchMatch[];
  ms: number;
}

export interface LabelSpaceRequests {
  'label-space': { req: { map: LabelMap }; res: LabelSpaceViewResult };
  'label-search': { req: LabelSearchRequest; res: LabelSearchResult };
}
