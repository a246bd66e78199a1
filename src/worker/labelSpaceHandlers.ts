// Worker side of label space (thesis §5.3.1, §5.4.3; docs/labelAutoencoder.md): the registry's label
// autoencoder reconstructs a segmentation (the label-space view) and encodes segmentations for label-space
// search. Both wait behind segmentation (studio.worker.ts: BACKGROUND): neither may delay a click's labels.
import { boxToWindow, classRegion, nearestWindows, windowToBox } from '../core/labelSpaceSearch.ts';
import { ConfusionMatrix } from '../core/segmentationScore.ts';
import { reconstructClassMap, type LabelAutoencoder } from '../ml/labelAutoencoder.ts';
import { encodeClassMaps } from '../ml/labelSpaceCodes.ts';
import { LABEL_AE } from '../ml/modelEntries.ts';
import type { LabelSpaceRequests } from './labelSpaceProtocol.ts';
import { WorkerError, type Progress } from './protocol.ts';
import { context, type Handlers } from './workerContext.ts';

function labelAutoencoder(progress: (p: Progress) => void): Promise<LabelAutoencoder> {
  return context.models.load<LabelAutoencoder>(LABEL_AE, (fraction) => progress({ message: 'loading the label autoencoder', fraction }));
}

export const labelSpaceHandlers: Handlers<keyof LabelSpaceRequests> = {
  async 'label-space'({ map }, progress) {
    const t0 = performance.now();
    const ae = await labelAutoencoder(progress);
    const reconstruction = await reconstructClassMap(ae, map);
    const agreement = new ConfusionMatrix(ae.config.classes).add(map.classes, reconstruction);
    return { reconstruction, pixelAccuracy: agreement.pixelAccuracy(), meanIoU: agreement.meanIoU(), ms: performance.now() - t0 };
  },

  async 'label-search'({ query, photos, count }, progress, signal) {
    const t0 = performance.now();
    const q = photos.findIndex((p) => p.photoId === query.photoId);
    if (q < 0) throw new WorkerError('failed', 'the query photo has no segmentation to search from');
    const ae = await labelAutoencoder(progress);
    const { map } = photos[q];
    const region = classRegion(map.classes, map.width, map.height, query.x, query.y);
    const grids = await encodeClassMaps(ae, photos.map((p) => p.map));
    signal?.throwIfAborted();
    const window = boxToWindow(region.box, map.width, map.height, grids[q]);
    const matches = nearestWindows(grids, { grid: q, window }, count).map((m) => {
      const found = photos[m.grid].map;
      return { photoId: photos[m.grid].photoId, box: windowToBox(m.window, found.width, found.height, grids[m.grid]), distance: m.distance };
    });
    return { query: { classIndex: region.classIndex, region: region.box, box: windowToBox(window, map.width, map.height, grids[q]) }, matches, ms: performance.now() - t0 };
  },
};
