// Worker side of the depth preview (thesis §5.5; docs/depth.md): the registry's depth model applied to the
// zoom-out features the segmentation already caches per superpixel map, so a preview costs one small
// matrix-vector product once the photo has been segmented or its features computed; and the small
// depth-from-segmentation net on a class map (about 15 ms for a 500×375 map: the net runs at 64×48). Photos
// with the user's measured depth keep their depth feature rows here, outliving the photo cache, so the
// regression can be fine-tuned on all of them; the fine-tuned model then answers every depth request.
import { scoreLogDepth, type DepthPhoto } from '../core/depthCrossValidation.ts';
import { depthFromMillimetres } from '../core/depthMap.ts';
import { superpixelLogDepth } from '../core/superpixelDepth.ts';
import { depthFeatureRows } from '../ml/depthFeatures.ts';
import { DepthModel } from '../ml/depthModel.ts';
import { DEPTH, SEG_DEPTH } from '../ml/modelEntries.ts';
import { depthFromLabelMap, type SegmentationDepthNet } from '../ml/segmentationDepthNet.ts';
import type { DepthRequests } from './depthProtocol.ts';
import { WorkerError, type Progress } from './protocol.ts';
import { cachedFeatures } from './segmentationHandlers.ts';
import { context, type Handlers } from './workerContext.ts';

/** Measured photos by id: the rows of their superpixels as the depth regression reads them, and the measurement. */
const measured = new Map<string, DepthPhoto>();
let fineTuned: DepthModel | undefined;

const shippedModel = (progress: (p: Progress) => void) => context.models.load<DepthModel>(DEPTH, (fraction) => progress({ message: 'loading the depth model', fraction }));
const modelInUse = async (progress: (p: Progress) => void) => fineTuned ?? (await shippedModel(progress));

export const depthHandlers: Handlers<keyof DepthRequests> = {
  async depth({ photoId }, progress) {
    const t0 = performance.now();
    const model = await modelInUse(progress);
    const features = await cachedFeatures(photoId);
    const logDepth = Float32Array.from(await model.predictLogDepth(features));
    return { mapId: features.mapId, logDepth, smoothing: model.file.smoothing, ms: performance.now() - t0 };
  },
  async 'segmentation-depth'({ width, height, classes }, progress) {
    const t0 = performance.now();
    const net = await context.models.load<SegmentationDepthNet>(SEG_DEPTH, (fraction) => progress({ message: 'loading the depth-from-segmentation model', fraction }));
    return { metres: depthFromLabelMap(net, { width, height, classes }), ms: performance.now() - t0 };
  },
  async 'depth-measure'({ photoId, width, height, millimetres }, progress) {
    const model = await modelInUse(progress);
    const features = await cachedFeatures(photoId);
    if (features.map.width !== width || features.map.height !== height) throw new WorkerError('stale', `the measured depth is ${width}×${height}, the photo's superpixels ${features.map.width}×${features.map.height}`);
    const { rows, dims } = await depthFeatureRows(features);
    const logDepth = model.logDepthOfRows(rows, dims, features.map.count);
    const photo: DepthPhoto = { id: photoId, rows, dims, map: features.map, depth: depthFromMillimetres(width, height, millimetres) };
    measured.set(photoId, photo);
    let seen = 0;
    for (const mm of millimetres) if (mm > 0) seen++;
    const metrics = scoreLogDepth(photo, logDepth, model.file.smoothing);
    return { mapId: features.mapId, measured: seen / millimetres.length, metrics };
  },
  async 'depth-finetune'({ photoIds, lambda }, progress) {
    const t0 = performance.now();
    const shipped = await shippedModel(progress);
    const photos = photoIds.flatMap((id) => measured.get(id) ?? []);
    if (photos.length === 0) throw new WorkerError('no-labels', 'no photo with measured depth has been analysed since it was attached: open one');
    progress({ message: `fine-tuning on ${photos.length} photos` });
    const model = shipped.fineTuned(photos, lambda);
    fineTuned = new DepthModel(model);
    const rows = photos.reduce((n, p) => n + superpixelLogDepth(p.map, p.depth).filter((v) => !Number.isNaN(v)).length, 0);
    return { model, photos: photos.map((p) => p.id), missing: photoIds.filter((id) => !measured.has(id)), rows, ms: performance.now() - t0 };
  },
  async 'depth-model'({ model }) {
    fineTuned = model ? new DepthModel(model) : undefined;
    return null;
  },
  async 'depth-unmeasure'({ photoId }) {
    measured.delete(photoId);
    return null;
  },
};
