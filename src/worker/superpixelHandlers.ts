// Worker handlers for superpixels: computed on the working copy `analyze` cached, kept in the photo's entry
// for the segmentation code, and sent to the UI as copies (results are transferred, which detaches them).
import { rectangleGrid } from '../core/rectangleGrid.ts';
import { slic, slicEngine, slicLabels } from '../core/slic.ts';
import type { RgbaImage } from '../core/types.ts';
import { context, type Handlers } from './workerContext.ts';
import { WorkerError } from './protocol.ts';
import type { SuperpixelRequests } from './superpixelProtocol.ts';
import { afterSlic } from './slicKernel.ts';

// Thesis Table 3.3 compares SLIC with an *equal* number of rectangles, and SLIC's count differs from k, so
// rectangles take the count SLIC gave for the same k and m. Keyed by image, so re-analysis or eviction
// forgets it.
const slicCounts = new WeakMap<RgbaImage, { k: number; m: number; count: number }>();

function slicCount(image: RgbaImage, k: number, m: number): number {
  const known = slicCounts.get(image);
  if (known && known.k === k && known.m === m) return known.count;
  const { count } = slicLabels(image, { k, m });
  slicCounts.set(image, { k, m, count });
  return count;
}

let mapCounter = 0;

export const superpixelHandlers: Handlers<keyof SuperpixelRequests> = {
  async superpixels({ photoId, k, m, mode }) {
    const entry = context.photos.get(photoId);
    const image = entry?.image;
    if (!entry || !image) throw new WorkerError('not-resident', 'the worker holds no working copy of this photo (analyse it first)');
    const regions = mode === 'rectangles' ? slicCount(image, k, m) : 0;
    const t0 = performance.now();
    const map = mode === 'slic' ? slic(image, { k, m }) : rectangleGrid(image, regions);
    const ms = performance.now() - t0;
    if (mode === 'slic') {
      slicCounts.set(image, { k, m, count: map.count });
      afterSlic(image.width, image.height);
    }
    entry.superpixels = map;
    entry.mapId = ++mapCounter;
    return {
      mapId: entry.mapId,
      k,
      m,
      mode,
      width: map.width,
      height: map.height,
      labels: map.labels.slice(),
      count: map.count,
      meanColors: map.meanColors.slice(),
      ms,
      engine: slicEngine(),
    };
  },
};
