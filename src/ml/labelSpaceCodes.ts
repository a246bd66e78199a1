// The label autoencoder's bottleneck as features of label maps (thesis §5.4.3): what label-space search
// compares, cell by cell (core/labelSpaceSearch.ts).
import * as tf from '@tensorflow/tfjs';
import type { CodeGrid } from '../core/labelSpaceSearch.ts';
import { IGNORE_LABEL } from '../core/types.ts';
import { oneHotBatch, toWorkingSize, type ClassMap, type LabelAutoencoder } from './labelAutoencoder.ts';

/** Maps per forward pass: a batch's one-hot input is size² × classes floats per map (0.8 MB at 96², 21 classes). */
const BATCH = 8;

/** The bottleneck code of each map (resized and void-filled as for reconstruction). */
export async function encodeClassMaps(ae: LabelAutoencoder, maps: readonly ClassMap[]): Promise<CodeGrid[]> {
  const { size, classes } = ae.config;
  const grids: CodeGrid[] = [];
  for (let start = 0; start < maps.length; start += BATCH) {
    const batch = maps.slice(start, start + BATCH).map((map) => {
      for (const v of map.classes) if (v >= classes && v !== IGNORE_LABEL) throw new RangeError(`class index ${v} outside 0..${classes - 1} (255 is void)`);
      return toWorkingSize(map, size);
    });
    const code = tf.tidy(() => ae.encode(oneHotBatch(batch, size, classes)));
    const [, rows, cols, channels] = code.shape;
    const values = (await code.data()) as Float32Array;
    code.dispose();
    const per = rows * cols * channels;
    batch.forEach((_, i) => grids.push({ rows, cols, channels, values: values.slice(i * per, (i + 1) * per) }));
  }
  return grids;
}
