// Worker side of classes learnt from tags (thesis §4.3.1; docs/weak.md): the zoom-out features of each tagged photo
// kept as plain rows (so a class can train on more photos than the photo cache holds), one class's net trained at a
// time with progress per epoch, and the nets a reopened project brings.
import * as tf from '@tensorflow/tfjs';
import type { FeatureLayout } from '../ml/zoomoutFeatures.ts';
import { loadTagClassNet, localizationColumns, localizationFeatures, saveTagClassNet, trainTagClassNet } from '../ml/tagClassNet.ts';
import { WorkerError } from './protocol.ts';
import { cachedFeatures } from './segmentationHandlers.ts';
import { tagClassNets } from './tagClassNets.ts';
import type { TagClassRequests } from './tagClassProtocol.ts';
import { context, type Handlers } from './workerContext.ts';

/** Tagged photos' raw zoom-out features of the localization levels [count × layout.width], by photo id. */
const tagged = new Map<string, { rows: Float32Array; count: number; layout: FeatureLayout }>();

function replaceNet(name: string, net: ReturnType<typeof loadTagClassNet> | undefined): void {
  tagClassNets.get(name)?.dispose();
  if (net) tagClassNets.set(name, net);
  else tagClassNets.delete(name);
}

export const tagClassHandlers: Handlers<keyof TagClassRequests> = {
  async 'tag-photo'({ photoId }) {
    const slot = await cachedFeatures(photoId);
    const kept = localizationFeatures(slot.features, slot.layout);
    try {
      tagged.set(photoId, { rows: (await kept.data()) as Float32Array, count: slot.map.count, layout: localizationColumns(slot.layout).layout });
    } finally {
      kept.dispose();
    }
    return { mapId: slot.mapId };
  },
  async 'untag-photo'({ photoId }) {
    tagged.delete(photoId);
    return null;
  },
  async 'train-tag-class'({ name, shows, lacks }, progress) {
    const t0 = performance.now();
    const held = (ids: string[]) => ids.filter((id) => tagged.has(id));
    const [yes, no] = [held(shows), held(lacks)];
    if (yes.length === 0 || no.length === 0) {
      throw new WorkerError('no-labels', `${name}: tag at least one analysed photo as showing it and one as not (${yes.length} and ${no.length} now)`);
    }
    const layout = tagged.get(yes[0])!.layout;
    const photos = [...yes.map((id) => ({ id, shows: true })), ...no.map((id) => ({ id, shows: false }))].map(({ id, shows }) => {
      const t = tagged.get(id)!;
      if (t.layout.width !== layout.width) throw new WorkerError('stale', 'the tagged photos were analysed with different feature settings: analyse them again');
      return { features: tf.tensor2d(t.rows, [t.count, layout.width]), shows };
    });
    const losses: number[] = [];
    try {
      const nets = await trainTagClassNet(photos, layout, {
        onProgress: ({ epoch, epochs, loss }) => {
          losses.push(loss);
          progress({ message: `${name}: epoch ${epoch} of ${epochs}`, fraction: epoch / epochs, loss });
        },
        // A stroke on another photo is answered between epochs, not after the whole run.
        betweenEpochs: () => context.yieldToForeground(),
      });
      replaceNet(name, nets);
      const missing = [...shows, ...lacks].filter((id) => !tagged.has(id));
      return { net: await saveTagClassNet(nets), shows: yes, lacks: no, missing, losses, ms: performance.now() - t0 };
    } finally {
      tf.dispose(photos.map((p) => p.features));
    }
  },
  async 'tag-class-nets'({ nets }) {
    for (const name of [...tagClassNets.keys()]) if (!(name in nets)) replaceNet(name, undefined);
    for (const [name, saved] of Object.entries(nets)) replaceNet(name, loadTagClassNet(saved));
    return null;
  },
};
