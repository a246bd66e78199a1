// Worker side of edge refinement (docs/crf.md): the dense CRF on the probabilities the last segmentation left in
// the photo's feature slot, the user's strokes fixed, with the permutohedral kernels built once per photo
// (in WebAssembly once crfKernel.ts has loaded it).
import { CRF_DEFAULTS, crfKernels, denseCrf, type CrfKernels } from '../core/denseCrf.ts';
import { paintSuperpixels } from '../core/scribbles.ts';
import type { RgbaImage } from '../core/types.ts';
import { crfKernelReady } from './crfKernel.ts';
import type { CrfRequests } from './crfProtocol.ts';
import { WorkerError } from './protocol.ts';
import { cachedFeatures } from './segmentationHandlers.ts';
import { context, type Disposable, type Handlers } from './workerContext.ts';

const SLOT = 'crf';

interface KernelSlot extends Disposable {
  image: RgbaImage;
  kernels: CrfKernels;
}

function kernelsFor(photoId: string, image: RgbaImage): CrfKernels {
  const entry = context.photos.get(photoId)!;
  const cached = entry.slots.get(SLOT) as KernelSlot | undefined;
  if (cached?.image === image) return cached.kernels;
  const slot: KernelSlot = { image, kernels: crfKernels(image, CRF_DEFAULTS), dispose: () => undefined, tensors: 0 };
  entry.slots.set(SLOT, slot);
  return slot.kernels;
}

export const crfHandlers: Handlers<keyof CrfRequests> = {
  async refine({ photoId, run }) {
    await crfKernelReady;
    const t0 = performance.now();
    const slot = await cachedFeatures(photoId);
    const image = context.photos.get(photoId)?.image;
    const prediction = slot.prediction;
    if (!image || !prediction || prediction.run !== run) throw new WorkerError('stale', 'this segmentation was replaced before it could be refined');
    const { classes, probabilities, strokes } = prediction;
    // Painting −1 (no stroke) gives 255, free: stroked superpixels keep their class, as the engine shows them.
    const fixed = strokes ? paintSuperpixels(slot.map, strokes) : undefined;
    const pixels = denseCrf(image, { classes, probabilities, regions: slot.map.labels, fixed }, CRF_DEFAULTS, kernelsFor(photoId, image)).labels;
    return { mapId: slot.mapId, run, pixels, ms: performance.now() - t0 };
  },
};
