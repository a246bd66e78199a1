// The zoom-out levels (thesis §3.3.1, Table 3.4): L1–L5 by stride, H the COCO head, S1 sub-scene, S2 scene.
// Free of tfjs so the UI can list and toggle them.
import type { LevelId } from './backboneManifest.ts';

export const ALL_LEVELS: readonly LevelId[] = ['L1', 'L2', 'L3', 'L4', 'L5', 'H', 'S1', 'S2'];

/**
 * What a head reads unless told otherwise: all but S1, which cost 1.4 mIoU per photo in the benchmark
 * (docs/zoomout.md). S2 is constant within a photo and only matters for heads trained across photos.
 */
export const DEFAULT_LEVELS: readonly LevelId[] = ['L1', 'L2', 'L3', 'L4', 'L5', 'H', 'S2'];
