// Worker side of the depth preview (thesis §5.5; docs/depth.md): the registry's depth model applied to the
// zoom-out features the segmentation already caches per superpixel map, so a preview costs one small
// matrix-vector product once the photo has been segmented or its features computed; and the small
// depth-from-segmentation net on a class map (about 15 ms for a 500×375 map: the net runs at 64×48).
import type { DepthModel } from '../ml/depthModel.ts';
import { DEPTH, SEG_DEPTH } from '../ml/modelEntries.ts';
import { depthFromLabelMap, type SegmentationDepthNet } from '../ml/segmentationDepthNet.ts';
import type { DepthRequests } from './depthProtocol.ts';
import { cachedFeatures } from './segmentationHandlers.ts';
import { context, type Handlers } from './workerContext.ts';

export const depthHandlers: Handlers<keyof DepthRequests> = {
  async depth({ photoId }, progress) {
    const t0 = performance.now();
    const model = await context.models.load<DepthModel>(DEPTH, (fraction) => progress({ message: 'loading the depth model', fraction }));
    const features = await cachedFeatures(photoId);
    const logDepth = Float32Array.from(await model.predictLogDepth(features));
    return { mapId: features.mapId, logDepth, smoothing: model.file.smoothing, ms: performance.now() - t0 };
  },
  async 'segmentation-depth'({ width, height, classes }, progress) {
    const t0 = performance.now();
    const net = await context.models.load<SegmentationDepthNet>(SEG_DEPTH, (fraction) => progress({ message: 'loading the depth-from-segmentation model', fraction }));
    return { metres: depthFromLabelMap(net, { width, height, classes }), ms: performance.now() - t0 };
  },
};
